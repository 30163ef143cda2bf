//! English.

use frontdesk_core::validate::{Code, Issue};
use frontdesk_core::{ApiMessage, Endpoint, OrderStatus};

use super::{Lang, Texts, amount_param};

pub static TEXTS: Texts = Texts {
    skip_to_content: "Skip to content",
    tagline: "Front Payment orders",
    nav_label: "Main",
    nav_new_order: "New order",
    nav_orders: "Orders",
    language_label: "Language",
    switch_to: "Norsk",
    switch_to_lang: "Bytt til norsk",
    signed_in_as: "Signed in as",
    sign_out: "Sign out",
    role_viewer: "viewer",
    role_clerk: "clerk",
    role_admin: "admin",
    proxy_connecting: "Connecting…",
    proxy_connected: "Connected to Front Payment",
    proxy_unreachable: "Frontdesk's server does not answer. Check your connection.",
    loading: "Loading…",
    not_found: "This page does not exist.",
    login_title: "Sign in",
    login_intro: "Sign in with your Frontdesk account to create and follow up orders.",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    login_bad_credentials: "Wrong username or password.",
    login_locked: "Too many attempts. Try again in {s} seconds.",
    login_failed: "Could not sign in. Check your connection and try again.",
    login_required_fields: "Enter both username and password.",
    orders_title: "Orders",
    order_title: "Order",
    new_order_title: "New order",
    kind_legend: "What do you want to send?",
    kind_payment_link: "Payment link",
    kind_invoice: "Invoice",
    kind_e_faktura: "E-Faktura",
    kind_ehf: "EHF",
    kind_payment_link_hint: "The customer pays by card, Vipps or invoice from a link sent by SMS or email.",
    kind_invoice_hint: "An invoice delivered as e-invoice, email or letter.",
    kind_e_faktura_hint: "An E-Faktura to the online bank of a private customer (needs the personal number).",
    kind_ehf_hint: "An EHF (Peppol) invoice to a business (needs a valid organisation number).",
    viewer_cannot_create: "Your role (viewer) can look at orders but not create them. Ask an admin for the clerk role.",
    customer_legend: "Customer",
    customer_type: "Customer type",
    private: "Private",
    corporate: "Business",
    e_faktura_private_only: "E-Faktura goes to private customers.",
    ehf_corporate_only: "EHF goes to businesses.",
    name: "Name",
    first_name: "First name",
    phone: "Mobile phone",
    calling_code: "Country code",
    phone_number: "Phone number",
    email: "Email",
    contact_either_hint: "A phone number or an email is needed.",
    personal_number: "Personal number (11 digits)",
    organization_id: "Organisation number",
    address_legend: "Address",
    street: "Street address",
    zip: "Postcode",
    city: "City",
    country: "Country",
    preferred_language: "Customer's language",
    optional: "optional",
    products_legend: "Products",
    line: "Line",
    product_name: "Product",
    product_id: "Product ID",
    quantity: "Quantity",
    rate: "Unit price incl. VAT",
    rate_hint: "kr, e.g. 12.50",
    discount: "Discount",
    tax: "VAT",
    amount: "Amount",
    add_line: "Add line",
    remove_line: "Remove",
    duplicate_line: "Duplicate",
    move_up: "Move up",
    move_down: "Move down",
    line_count: "lines",
    summary_legend: "Summary",
    sub_total: "Subtotal excl. VAT",
    total_tax: "VAT",
    total_discount: "Discount",
    grand_total: "Total",
    summary_note: "Prices include VAT. Totals are computed, never typed.",
    options_legend: "Sending",
    send_by_sms: "Send the link by SMS",
    send_by_email: "Send the link by email",
    invoice_as_payment_option: "Let the customer choose invoice as payment",
    secure_details: "Secure details: order visible only after BankID",
    invoice_interval: "Invoice interval",
    interval_daily: "Daily",
    interval_monthly: "Once a month",
    interval_twice: "Twice a month",
    invoice_maturity: "Due in",
    days: "days",
    invoice_fee: "Charge the invoice fee",
    separate_invoices: "Separate invoices",
    references_legend: "References",
    reference_no: "Reference no.",
    customer_reference: "Customer reference",
    callback_url: "Web address for status updates",
    callback_note: "Leave empty: Frontdesk then hears of status changes by itself.",
    order_date: "Order date",
    submit: "Create order",
    submitting: "Creating…",
    discard_draft: "Discard draft",
    pending_notice: "An earlier submit of this draft did not finish. Press “Create order” to finish it: it cannot create a second order.",
    draft_saved: "Draft saved",
    draft_restored: "Draft restored from",
    errors_title: "Fix these before sending:",
    warning_prefix: "Check:",
    error_prefix: "Error:",
    server_rejected: "Front Payment refused the order. The fields below say why.",
    retry: "Try again",
    err_network: "The order could not be sent: no answer from the server. Your form is kept; try again (it will not create a second order).",
    err_offline: "You are offline. Your form is kept; try again when you are back online.",
    err_timeout: "The server took too long to answer. The order may or may not exist; trying again is safe and will not create a second one.",
    err_server: "Front Payment or Frontdesk had a problem (code {status}). Your form is kept; trying again is safe.",
    err_in_flight: "This order is still being created. Wait a moment and try again.",
    err_key_reused: "An earlier attempt of this draft reached the server with different content. Check the orders list before sending again, or discard the draft to start over.",
    err_unauthorized: "Your session has ended. Sign in again: your draft is kept.",
    err_forbidden: "Your role may not create orders.",
    err_other: "The order was not created (HTTP {status}: {message}).",
    busy_retrying: "Front Payment is busy, trying again in {s} s.",
    err_busy: "Front Payment is still busy. Your form is kept; try again in a moment (it will not create a second order).",
    err_busy_action: "Front Payment is busy. Try again in a moment: it will not be done twice.",
    done_title: "Order created",
    done_replayed: "This order had already been created: here it is again (no duplicate was made).",
    order_uuid: "Order ID",
    customer_uuid: "Customer ID",
    copy: "Copy",
    copied: "Copied",
    sent_sms_to: "Payment link sent by SMS to",
    sent_email_to: "Payment link sent by email to",
    sent_not_notified: "No SMS or email was sent: share the link yourself.",
    invoice_delivered_to: "Invoice delivered to",
    efaktura_to: "E-Faktura to the online bank of personal number",
    ehf_to: "EHF invoice to organisation number",
    created_at: "Created",
    view_order: "View the order",
    create_another: "Create another like this",
    new_blank_order: "New blank order",
    line_count_one: "line",
    discount_unit: "Discount in",
    discount_in_kr: "NOK",
    warnings_title: "Check before sending:",
    send_anyway_question: "These look unusual. Send anyway?",
    send_anyway: "Send anyway",
    back_to_form: "Back to the form",
    draft_discarded: "Draft discarded.",
    undo: "Undo",
    due_date: "Due date",
    search_label: "Search",
    search_hint: "Order id, customer name, email, phone or reference",
    status_filter_label: "Filter by status",
    status_all: "All",
    status_unknown: "Unknown",
    sort_label: "Sort",
    sort_newest: "Newest first",
    sort_oldest: "Oldest first",
    sort_amount_desc: "Highest amount first",
    sort_amount_asc: "Lowest amount first",
    col_order: "Order",
    col_customer: "Customer",
    col_kind: "Type",
    col_contact: "Contact",
    col_reference: "Reference",
    col_status: "Status",
    col_created: "Created",
    col_due_date: "Due date",
    col_national_id: "Org. / personal number",
    orders_count: "orders",
    no_orders: "No orders match.",
    next_page: "Next page",
    prev_page: "Previous page",
    export_csv: "Export CSV",
    exporting: "Exporting…",
    exported: "Exported",
    sync_now: "Fetch statuses from Front Payment",
    synced: "Statuses fetched; changed:",
    status_only: "Not created in Frontdesk: only the status is known",
    live_note: "Statuses update by themselves.",
    back_to_orders: "All orders",
    products_title: "Products",
    customer_title: "Customer",
    order_facts: "Order",
    link_due: "Link valid until",
    invoice_number: "Invoice number",
    order_amount: "Order amount",
    refunded_amount: "Refunded",
    left_to_refund: "Left to refund",
    timeline_title: "Timeline",
    timeline_empty: "No events recorded in Frontdesk yet.",
    callback_event: "Front Payment reported the status",
    replayed: "repeat of an earlier request: answered from memory",
    by: "by",
    actions_title: "Actions",
    no_actions: "Nothing can be done with this order in its status ({status}).",
    viewer_no_actions: "Your role can view orders but not change them.",
    action_resend: "Resend payment link",
    action_cancel: "Cancel order",
    action_refund: "Refund",
    action_delayed_charge: "Charge the reserved amount",
    confirm: "Confirm",
    back: "Back",
    working: "Working…",
    resend_stored: "To the stored contact",
    resend_new: "To a new phone number or email",
    resend_confirm: "The payment link will be sent again to:",
    resend_done: "The payment link was sent again.",
    cancel_note: "Reason for cancelling",
    cancel_confirm: "The order will be cancelled at Front Payment and the customer can no longer pay it. This cannot be undone.",
    cancel_done: "The order was cancelled.",
    refund_intro: "Enter what to refund per line. A line cannot be refunded beyond what is left on it.",
    refund_left: "left",
    refund_fill_all: "Fill in everything that is left",
    refund_total: "Refund total",
    refund_type_regular: "Refund to the customer's payment method",
    refund_type_invoiced: "Credit on the invoice",
    refund_confirm: "This amount will be refunded to the customer:",
    refund_more_than_left: "More than is left on this line:",
    refund_nothing: "Enter an amount on at least one line.",
    refund_done: "The refund was registered.",
    refund_elsewhere: "Some refunds were made outside Frontdesk: per line only Frontdesk's are known, the order total is checked by Front Payment.",
    delayed_confirm: "The reserved amount will be charged from the customer's card:",
    delayed_done: "The reserved amount was charged.",
    sandbox_title: "Sandbox: simulate the customer and time",
    sandbox_note: "Simulation only. These buttons act in the built-in sandbox, never at Front Payment.",
    sim_paid: "Customer pays",
    sim_reserved: "Card reserved, charge later",
    sim_invoiced: "Customer chooses invoice",
    sim_expired: "Let the link expire",
    sim_reminder: "Send a reminder",
    sim_debt: "Send to debt collection",
    clock_advance: "Move the sandbox clock one day ahead",
    clock_moved: "Sandbox clock moved ahead by (days):",
    nav_activity: "Activity",
    activity_title: "Activity",
    filter_user: "User",
    filter_action: "Action",
    filter_order: "Order id",
    apply_filter: "Filter",
    col_when: "When",
    col_who: "Who",
    col_what: "What",
    col_result: "Result",
    activity_empty: "No activity matches.",
    load_more: "Load more",
    any: "Any",
    err_load: "Could not load this:",
    err_order_not_found: "There is no order with this id.",
    err_refused: "Front Payment refused this:",
    order_one: "order",
    proxy_connected_sandbox: "Connected to the Front Payment sandbox",
    reason_role: "Your role ({role}) may {may}.",
    reason_ask: "Ask {who} to {what}.",
    may_view: "view orders",
    may_create: "create orders",
    may_resend: "resend payment links",
    may_cancel: "cancel orders",
    may_refund: "refund orders",
    may_charge: "charge reserved amounts",
    ask_clerk: "a clerk or an admin",
    ask_admin: "an admin",
    to_resend: "resend the payment link",
    to_cancel: "cancel this order",
    to_refund: "refund this order",
    to_charge: "charge the reserved amount",
    and: "and",
    link_expired: "Link expired on",
    resent_to: "to",
    api_key: "API key",
    cancellation_note: "Cancellation note",
    note_title: "Internal note",
    note_hint: "Only in Frontdesk: never sent to Front Payment or the customer.",
    note_save: "Save note",
    note_saved: "Note saved.",
    note_empty: "No internal note.",
    note_unavailable: "The internal note could not be loaded. Reload the page to try again.",
    note_event: "Changed the internal note",
    duplicate: "Duplicate",
    duplicate_pending: "An order from the form is still being sent. Finish it there before duplicating.",
    print: "Print",
};

pub fn issue(issue: &Issue) -> String {
    let p = &issue.params;
    let min = p.min.as_deref().unwrap_or_default();
    let max = amount_param(Lang::En, p.max.as_deref());
    let expected = amount_param(Lang::En, p.expected.as_deref());
    let other = p.other.as_deref().unwrap_or_default();
    match issue.code {
        Code::Required => "This field is required.".into(),
        Code::RequiredWithout if other.ends_with("email") || other.ends_with("msisdn") => {
            "Enter a phone number or an email.".into()
        }
        Code::RequiredWithout => format!("Required when {other} is empty."),
        Code::RequiredWith => "Required together with the phone number.".into(),
        Code::RequiredIf if p.value.as_deref() == Some("corporate") => {
            "Required for business customers.".into()
        }
        Code::RequiredIf => "This field is required here.".into(),
        Code::String => "Enter text.".into(),
        Code::Numeric => "Enter a number, e.g. 12.50.".into(),
        Code::Integer => "Enter a whole number.".into(),
        Code::Boolean | Code::Array => "This value is not valid.".into(),
        Code::In if p.values.is_empty() => "Choose one of the options.".into(),
        Code::In => format!("Choose one of: {}.", p.values.join(", ")),
        Code::Min => format!("Must be at least {min}."),
        Code::Gt => format!("Must be more than {min}."),
        Code::Max => format!("Must not be more than {max}."),
        Code::MaxLength => format!("At most {max} characters."),
        Code::MaxItems => format!("At most {max} lines."),
        Code::Decimals => "At most two decimals.".into(),
        Code::Digits => format!("Must be exactly {expected} digits."),
        Code::DigitsOnly => "Digits only, no spaces.".into(),
        Code::Email => "Enter a valid email address, like name@example.no.".into(),
        Code::ControlCharacters => {
            "Remove invisible control characters (line breaks, tabs).".into()
        }
        Code::Url => "Enter a full web address starting with https://.".into(),
        Code::CountryCode => "Choose a country.".into(),
        Code::CallingCode => "Choose a country code like +47.".into(),
        Code::PhoneTooLong => "Too long: at most 15 digits including the country code.".into(),
        Code::DateFormat => "Not a valid date.".into(),
        Code::DateBeforeToday => "The date cannot be before today.".into(),
        Code::AmountMismatch => format!("Does not match the lines (expected {expected})."),
        Code::SumMismatch => format!("Must equal the sum of the lines ({expected})."),
        Code::OrgnrChecksum => {
            "This is not a valid Norwegian organisation number (check digit).".into()
        }
        Code::FnrChecksum => {
            "This does not look like a valid Norwegian personal number (check digits).".into()
        }
        Code::NotMobile => {
            "Not a Norwegian mobile number (those start with 4 or 9): SMS may not arrive.".into()
        }
        Code::MsisdnLength if p.min == p.max => {
            format!("Numbers in this country usually have {min} digits.")
        }
        Code::MsisdnLength => format!("Numbers in this country usually have {min}–{max} digits."),
        Code::UnknownCallingCode => "Unknown country code.".into(),
        Code::Postcode => "Norwegian postcodes have 4 digits.".into(),
    }
}

pub fn status(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::Sent => "Sent",
        OrderStatus::Paid => "Paid",
        OrderStatus::Invoiced => "Invoiced",
        OrderStatus::Cancelled => "Cancelled",
        OrderStatus::Expired => "Expired",
        OrderStatus::Refunded => "Refunded",
        OrderStatus::PartialRefunded => "Partly refunded",
        OrderStatus::Reserved => "Reserved",
        OrderStatus::Reminder => "Reminder",
        OrderStatus::DebtCollection => "Debt collection",
        OrderStatus::RefundPending => "Refund pending",
        OrderStatus::Completed => "Completed",
    }
}

pub fn endpoint(e: Endpoint) -> &'static str {
    match e {
        Endpoint::CreatePaymentLink => "Created payment link",
        Endpoint::CreateInvoice => "Created invoice",
        Endpoint::CreateEFaktura => "Created E-Faktura",
        Endpoint::CreateEhf => "Created EHF invoice",
        Endpoint::Resend => "Resent payment link",
        Endpoint::Cancel => "Cancelled order",
        Endpoint::Refund => "Refunded",
        Endpoint::DelayedCharge => "Charged reserved amount",
        Endpoint::StatusAll => "Read all statuses",
        Endpoint::Status => "Read status",
        Endpoint::Details => "Read details",
        Endpoint::InvoiceNumber => "Read invoice number",
    }
}

pub fn message(m: ApiMessage) -> Option<&'static str> {
    Some(match m {
        ApiMessage::OrderAddedSuccessfully => "Front Payment accepted the order.",
        ApiMessage::ResentOrderSuccessfully => "Front Payment sent the link again.",
        ApiMessage::CancelledOrderSuccessfully => "Front Payment cancelled the order.",
        ApiMessage::OrderRefundedSuccessfully => "Front Payment registered the refund.",
        ApiMessage::OrderDelayedChargedSuccessfully => "Front Payment charged the amount.",
        ApiMessage::OrderStatusAlreadyPaid => "The order is already paid.",
        ApiMessage::OrderStatusAlreadyCancelled => "The order is already cancelled.",
        ApiMessage::OrderStatusNotAllowed => {
            "The order's status does not allow this any more (it may have changed meanwhile)."
        }
        ApiMessage::RefundRejectionForRefundRequestGreaterThanOrderAmount => {
            "The refund is more than what is left to refund on the order."
        }
        ApiMessage::RequestProductIdNotAvailable => "A refunded line is not part of this order.",
        ApiMessage::RefundRejectionForProductAmountExceed => {
            "A line would be refunded beyond its amount."
        }
        ApiMessage::RefundRejectionForRequestAmountThresholdExceed => {
            "The refund is larger than your agreement allows in one refund. Split it, or ask Front Payment to raise the limit."
        }
        ApiMessage::RefundRejectionForWeeklyThresholdExceed => {
            "Your agreement's weekly refund limit is reached. Try again next week, or ask Front Payment to raise the limit."
        }
        ApiMessage::OrderNotFound => "There is no order with this id.",
        ApiMessage::Unauthenticated => "Your session has ended. Sign in again.",
        ApiMessage::Forbidden => "Your role may not do this.",
        ApiMessage::IdempotencyRequestInFlight => {
            "This request is still being processed. Try again in a moment."
        }
        ApiMessage::IdempotencyOutcomeUnknown => {
            "The outcome is not known yet. Try again in a moment: it will not be done twice."
        }
        ApiMessage::TransitionNotAllowed => {
            "The sandbox's lifecycle does not allow this from the current status."
        }
        ApiMessage::PayloadValidationErrors => "Some fields are not valid.",
        ApiMessage::TooManyRequests => "Too many requests. Wait a moment and try again.",
        ApiMessage::InternalErrorOccurredPleaseTryAgainLater => {
            "Front Payment had an internal error. Try again: it will not be done twice."
        }
        ApiMessage::UpstreamBadResponse => {
            "Front Payment answered with something unexpected. Try again: it will not be done twice."
        }
        ApiMessage::UpstreamTimeout => {
            "Front Payment did not answer in time. Try again: it will not be done twice."
        }
        ApiMessage::SomethingWentWrong => {
            "Something went wrong at Front Payment. Try again: it will not be done twice."
        }
        _ => return None,
    })
}
