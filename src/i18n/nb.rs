//! Norsk bokmål.

use frontdesk_core::validate::{Code, Issue};
use frontdesk_core::{ApiMessage, Endpoint, OrderStatus};

use super::{Lang, Texts, amount_param};

pub static TEXTS: Texts = Texts {
    skip_to_content: "Hopp til innholdet",
    tagline: "Ordrer i Front Payment",
    nav_label: "Hovedmeny",
    nav_new_order: "Ny ordre",
    nav_orders: "Ordrer",
    language_label: "Språk",
    switch_to: "English",
    switch_to_lang: "Switch to English",
    signed_in_as: "Logget inn som",
    sign_out: "Logg ut",
    role_viewer: "leser",
    role_clerk: "saksbehandler",
    role_admin: "administrator",
    proxy_connecting: "Kobler til …",
    proxy_connected: "Tilkoblet Front Payment",
    proxy_unreachable: "Frontdesks server svarer ikke. Sjekk tilkoblingen.",
    loading: "Laster …",
    not_found: "Denne siden finnes ikke.",
    login_title: "Logg inn",
    login_intro: "Logg inn med Frontdesk-kontoen din for å opprette og følge opp ordrer.",
    username: "Brukernavn",
    password: "Passord",
    sign_in: "Logg inn",
    signing_in: "Logger inn …",
    login_bad_credentials: "Feil brukernavn eller passord.",
    login_locked: "For mange forsøk. Prøv igjen om {s} sekunder.",
    login_failed: "Kunne ikke logge inn. Sjekk tilkoblingen og prøv igjen.",
    login_required_fields: "Fyll ut både brukernavn og passord.",
    orders_title: "Ordrer",
    order_title: "Ordre",
    new_order_title: "Ny ordre",
    kind_legend: "Hva vil du sende?",
    kind_payment_link: "Betalingslenke",
    kind_invoice: "Faktura",
    kind_e_faktura: "E-Faktura",
    kind_ehf: "EHF",
    kind_payment_link_hint: "Kunden betaler med kort, Vipps eller faktura fra en lenke sendt på SMS eller e-post.",
    kind_invoice_hint: "En faktura levert som E-Faktura, e-post eller brev.",
    kind_e_faktura_hint: "E-Faktura til nettbanken til en privatkunde (krever fødselsnummer).",
    kind_ehf_hint: "EHF-faktura (Peppol) til en bedrift (krever gyldig organisasjonsnummer).",
    viewer_cannot_create: "Rollen din (leser) kan se ordrer, men ikke opprette dem. Be en administrator om rollen saksbehandler.",
    customer_legend: "Kunde",
    customer_type: "Kundetype",
    private: "Privat",
    corporate: "Bedrift",
    e_faktura_private_only: "E-Faktura går til privatkunder.",
    ehf_corporate_only: "EHF går til bedrifter.",
    name: "Navn",
    first_name: "Fornavn",
    phone: "Mobiltelefon",
    calling_code: "Landskode",
    phone_number: "Telefonnummer",
    email: "E-post",
    contact_either_hint: "Telefonnummer eller e-post må fylles ut.",
    personal_number: "Fødselsnummer (11 sifre)",
    organization_id: "Organisasjonsnummer",
    address_legend: "Adresse",
    street: "Gateadresse",
    zip: "Postnummer",
    city: "Poststed",
    country: "Land",
    preferred_language: "Kundens språk",
    optional: "valgfritt",
    products_legend: "Produkter",
    line: "Linje",
    product_name: "Produkt",
    product_id: "Produkt-ID",
    quantity: "Antall",
    rate: "Enhetspris inkl. mva.",
    rate_hint: "kr, f.eks. 12,50",
    discount: "Rabatt",
    tax: "Mva.",
    amount: "Beløp",
    add_line: "Legg til linje",
    remove_line: "Fjern",
    duplicate_line: "Dupliser",
    move_up: "Flytt opp",
    move_down: "Flytt ned",
    line_count: "linjer",
    summary_legend: "Sammendrag",
    sub_total: "Sum ekskl. mva.",
    total_tax: "Mva.",
    total_discount: "Rabatt",
    grand_total: "Totalt",
    summary_note: "Prisene er inkludert mva. Summene regnes ut, de skrives aldri inn.",
    options_legend: "Utsending",
    send_by_sms: "Send lenken på SMS",
    send_by_email: "Send lenken på e-post",
    invoice_as_payment_option: "La kunden velge faktura som betaling",
    secure_details: "Sikre detaljer: ordren vises først etter BankID",
    invoice_interval: "Fakturaintervall",
    interval_daily: "Daglig",
    interval_monthly: "Én gang i måneden",
    interval_twice: "To ganger i måneden",
    invoice_maturity: "Forfall om",
    days: "dager",
    invoice_fee: "Ta fakturagebyr",
    separate_invoices: "Egne fakturaer",
    references_legend: "Referanser",
    reference_no: "Referansenr.",
    customer_reference: "Kundens referanse",
    callback_url: "Nettadresse for statusoppdateringer",
    callback_note: "La stå tom: da får Frontdesk vite om statusendringer av seg selv.",
    order_date: "Ordredato",
    submit: "Opprett ordre",
    submitting: "Oppretter …",
    discard_draft: "Forkast utkast",
    pending_notice: "En tidligere innsending av dette utkastet ble ikke ferdig. Trykk «Opprett ordre» for å fullføre: det kan ikke lage en ordre til.",
    draft_saved: "Utkast lagret",
    draft_restored: "Utkast gjenopprettet fra",
    errors_title: "Rett opp dette før du sender:",
    warning_prefix: "Sjekk:",
    error_prefix: "Feil:",
    server_rejected: "Front Payment avviste ordren. Feltene under sier hvorfor.",
    retry: "Prøv igjen",
    err_network: "Ordren kunne ikke sendes: serveren svarte ikke. Skjemaet er tatt vare på; prøv igjen (det lager ikke en ordre til).",
    err_offline: "Du er frakoblet. Skjemaet er tatt vare på; prøv igjen når du er på nett.",
    err_timeout: "Serveren brukte for lang tid. Ordren kan være opprettet eller ikke; det er trygt å prøve igjen, det lager ikke en ordre til.",
    err_server: "Front Payment eller Frontdesk fikk et problem (kode {status}). Skjemaet er tatt vare på; det er trygt å prøve igjen.",
    err_in_flight: "Ordren holder fortsatt på å opprettes. Vent litt og prøv igjen.",
    err_key_reused: "Et tidligere forsøk med dette utkastet nådde serveren med annet innhold. Sjekk ordrelisten før du sender igjen, eller forkast utkastet og begynn på nytt.",
    err_unauthorized: "Økten din er utløpt. Logg inn igjen: utkastet er tatt vare på.",
    err_forbidden: "Rollen din kan ikke opprette ordrer.",
    err_other: "Ordren ble ikke opprettet (HTTP {status}: {message}).",
    busy_retrying: "Front Payment har mye å gjøre, prøver igjen om {s} s.",
    err_busy: "Front Payment har fortsatt mye å gjøre. Skjemaet er tatt vare på; prøv igjen om litt (det lager ikke en ordre til).",
    err_busy_action: "Front Payment har mye å gjøre. Prøv igjen om litt: det blir ikke gjort to ganger.",
    done_title: "Ordren er opprettet",
    done_replayed: "Denne ordren var allerede opprettet: her er den igjen (ingen dobbel ordre).",
    order_uuid: "Ordre-ID",
    customer_uuid: "Kunde-ID",
    copy: "Kopier",
    copied: "Kopiert",
    sent_sms_to: "Betalingslenke sendt på SMS til",
    sent_email_to: "Betalingslenke sendt på e-post til",
    sent_not_notified: "Ingen SMS eller e-post ble sendt: del lenken selv.",
    invoice_delivered_to: "Faktura levert til",
    efaktura_to: "E-Faktura til nettbanken for fødselsnummer",
    ehf_to: "EHF-faktura til organisasjonsnummer",
    created_at: "Opprettet",
    view_order: "Se ordren",
    create_another: "Lag en til som denne",
    new_blank_order: "Ny tom ordre",
    line_count_one: "linje",
    discount_unit: "Rabatt i",
    discount_in_kr: "kr",
    warnings_title: "Sjekk før du sender:",
    send_anyway_question: "Dette ser uvanlig ut. Sende likevel?",
    send_anyway: "Send likevel",
    back_to_form: "Tilbake til skjemaet",
    draft_discarded: "Utkastet er forkastet.",
    undo: "Angre",
    due_date: "Forfallsdato",
    search_label: "Søk",
    search_hint: "Ordre-ID, kundenavn, e-post, telefon eller referanse",
    status_filter_label: "Filtrer på status",
    status_all: "Alle",
    status_unknown: "Ukjent",
    sort_label: "Sorter",
    sort_newest: "Nyeste først",
    sort_oldest: "Eldste først",
    sort_amount_desc: "Høyeste beløp først",
    sort_amount_asc: "Laveste beløp først",
    col_order: "Ordre",
    col_customer: "Kunde",
    col_kind: "Type",
    col_contact: "Kontakt",
    col_reference: "Referanse",
    col_status: "Status",
    col_created: "Opprettet",
    col_due_date: "Forfallsdato",
    col_national_id: "Org.nr. / fødselsnr.",
    orders_count: "ordrer",
    no_orders: "Ingen ordre passer.",
    next_page: "Neste side",
    prev_page: "Forrige side",
    export_csv: "Eksporter CSV",
    exporting: "Eksporterer…",
    exported: "Eksportert",
    sync_now: "Hent statuser fra Front Payment",
    synced: "Statuser hentet; endret:",
    status_only: "Ikke opprettet i Frontdesk: bare statusen er kjent",
    live_note: "Statusene oppdateres av seg selv.",
    back_to_orders: "Alle ordre",
    products_title: "Produkter",
    customer_title: "Kunde",
    order_facts: "Ordre",
    link_due: "Lenken gjelder til",
    invoice_number: "Fakturanummer",
    order_amount: "Ordrebeløp",
    refunded_amount: "Refundert",
    left_to_refund: "Igjen å refundere",
    timeline_title: "Hendelser",
    timeline_empty: "Ingen hendelser registrert i Frontdesk ennå.",
    callback_event: "Front Payment meldte statusen",
    replayed: "gjentatt forespørsel: besvart fra minnet",
    by: "av",
    actions_title: "Handlinger",
    no_actions: "Ingenting kan gjøres med denne ordren i statusen den har ({status}).",
    viewer_no_actions: "Rollen din kan se ordre, men ikke endre dem.",
    action_resend: "Send betalingslenke på nytt",
    action_cancel: "Kanseller ordre",
    action_refund: "Refunder",
    action_delayed_charge: "Trekk det reserverte beløpet",
    confirm: "Bekreft",
    back: "Tilbake",
    working: "Arbeider…",
    resend_stored: "Til lagret kontakt",
    resend_new: "Til nytt telefonnummer eller e-post",
    resend_confirm: "Betalingslenken sendes på nytt til:",
    resend_done: "Betalingslenken ble sendt på nytt.",
    cancel_note: "Årsak til kansellering",
    cancel_confirm: "Ordren kanselleres hos Front Payment, og kunden kan ikke lenger betale den. Dette kan ikke angres.",
    cancel_done: "Ordren ble kansellert.",
    refund_intro: "Fyll inn hva som skal refunderes per linje. En linje kan ikke refunderes ut over det som er igjen på den.",
    refund_left: "igjen",
    refund_fill_all: "Fyll inn alt som er igjen",
    refund_total: "Sum refusjon",
    refund_type_regular: "Refusjon til kundens betalingsmåte",
    refund_type_invoiced: "Kreditering av fakturaen",
    refund_confirm: "Dette beløpet refunderes til kunden:",
    refund_more_than_left: "Mer enn det som er igjen på linjen:",
    refund_nothing: "Fyll inn et beløp på minst én linje.",
    refund_done: "Refusjonen ble registrert.",
    refund_elsewhere: "Noen refusjoner ble gjort utenfor Frontdesk: per linje kjennes bare Frontdesks, ordresummen kontrolleres av Front Payment.",
    delayed_confirm: "Det reserverte beløpet trekkes fra kundens kort:",
    delayed_done: "Det reserverte beløpet ble trukket.",
    sandbox_title: "Sandkasse: simuler kunden og tiden",
    sandbox_note: "Bare simulering. Knappene virker i den innebygde sandkassen, aldri hos Front Payment.",
    sim_paid: "Kunden betaler",
    sim_reserved: "Kortet reserveres, trekk senere",
    sim_invoiced: "Kunden velger faktura",
    sim_expired: "La lenken utløpe",
    sim_reminder: "Send purring",
    sim_debt: "Send til inkasso",
    clock_advance: "Still sandkasseklokken én dag fram",
    clock_moved: "Sandkasseklokken stilt fram (dager):",
    nav_activity: "Aktivitet",
    activity_title: "Aktivitet",
    filter_user: "Bruker",
    filter_action: "Handling",
    filter_order: "Ordre-ID",
    apply_filter: "Filtrer",
    col_when: "Når",
    col_who: "Hvem",
    col_what: "Hva",
    col_result: "Resultat",
    activity_empty: "Ingen aktivitet passer.",
    load_more: "Vis flere",
    any: "Alle",
    err_load: "Kunne ikke laste dette:",
    err_order_not_found: "Det finnes ingen ordre med denne ID-en.",
    err_refused: "Front Payment avviste dette:",
    order_one: "ordre",
    proxy_connected_sandbox: "Tilkoblet Front Payments sandkasse",
    reason_role: "Rollen din ({role}) kan {may}.",
    reason_ask: "Be {who} om å {what}.",
    may_view: "se ordrer",
    may_create: "opprette ordrer",
    may_resend: "sende betalingslenker på nytt",
    may_cancel: "kansellere ordrer",
    may_refund: "refundere ordrer",
    may_charge: "trekke reserverte beløp",
    ask_clerk: "en saksbehandler eller en administrator",
    ask_admin: "en administrator",
    to_resend: "sende betalingslenken på nytt",
    to_cancel: "kansellere ordren",
    to_refund: "refundere ordren",
    to_charge: "trekke det reserverte beløpet",
    and: "og",
    link_expired: "Lenken utløp",
    resent_to: "til",
    api_key: "API-nøkkel",
    cancellation_note: "Årsak til kansellering",
    note_title: "Intern merknad",
    note_hint: "Bare i Frontdesk: sendes aldri til Front Payment eller kunden.",
    note_save: "Lagre merknad",
    note_saved: "Merknaden er lagret.",
    note_empty: "Ingen intern merknad.",
    note_unavailable: "Den interne merknaden kunne ikke lastes. Last siden på nytt for å prøve igjen.",
    note_event: "Endret den interne merknaden",
    duplicate: "Dupliser",
    duplicate_pending: "En ordre fra skjemaet holder fortsatt på å sendes. Fullfør den der før du dupliserer.",
    print: "Skriv ut",
};

pub fn issue(issue: &Issue) -> String {
    let p = &issue.params;
    let min = p.min.as_deref().unwrap_or_default();
    let max = amount_param(Lang::Nb, p.max.as_deref());
    let expected = amount_param(Lang::Nb, p.expected.as_deref());
    let other = p.other.as_deref().unwrap_or_default();
    match issue.code {
        Code::Required => "Feltet må fylles ut.".into(),
        Code::RequiredWithout if other.ends_with("email") || other.ends_with("msisdn") => {
            "Fyll ut telefonnummer eller e-post.".into()
        }
        Code::RequiredWithout => format!("Må fylles ut når {other} mangler."),
        Code::RequiredWith => "Må fylles ut sammen med telefonnummeret.".into(),
        Code::RequiredIf if p.value.as_deref() == Some("corporate") => {
            "Må fylles ut for bedriftskunder.".into()
        }
        Code::RequiredIf => "Feltet må fylles ut her.".into(),
        Code::String => "Skriv inn tekst.".into(),
        Code::Numeric => "Skriv et tall, f.eks. 12,50.".into(),
        Code::Integer => "Skriv et heltall.".into(),
        Code::Boolean | Code::Array => "Verdien er ikke gyldig.".into(),
        Code::In if p.values.is_empty() => "Velg et av alternativene.".into(),
        Code::In => format!("Velg en av: {}.", p.values.join(", ")),
        Code::Min => format!("Må være minst {min}."),
        Code::Gt => format!("Må være mer enn {min}."),
        Code::Max => format!("Kan ikke være mer enn {max}."),
        Code::MaxLength => format!("Høyst {max} tegn."),
        Code::MaxItems => format!("Høyst {max} linjer."),
        Code::Decimals => "Høyst to desimaler.".into(),
        Code::Digits => format!("Må være nøyaktig {expected} sifre."),
        Code::DigitsOnly => "Bare sifre, uten mellomrom.".into(),
        Code::Email => "Skriv en gyldig e-postadresse, som navn@eksempel.no.".into(),
        Code::ControlCharacters => "Fjern usynlige kontrolltegn (linjeskift, tabulator).".into(),
        Code::Url => "Skriv en full nettadresse som begynner med https://.".into(),
        Code::CountryCode => "Velg et land.".into(),
        Code::CallingCode => "Velg en landskode som +47.".into(),
        Code::PhoneTooLong => "For langt: høyst 15 sifre medregnet landskoden.".into(),
        Code::DateFormat => "Ikke en gyldig dato.".into(),
        Code::DateBeforeToday => "Datoen kan ikke være før i dag.".into(),
        Code::AmountMismatch => format!("Stemmer ikke med linjene (forventet {expected})."),
        Code::SumMismatch => format!("Må være lik summen av linjene ({expected})."),
        Code::OrgnrChecksum => {
            "Dette er ikke et gyldig norsk organisasjonsnummer (kontrollsiffer).".into()
        }
        Code::FnrChecksum => {
            "Dette ser ikke ut som et gyldig fødselsnummer (kontrollsifre).".into()
        }
        Code::NotMobile => {
            "Ikke et norsk mobilnummer (de begynner på 4 eller 9): SMS kommer kanskje ikke fram."
                .into()
        }
        Code::MsisdnLength if p.min == p.max => {
            format!("Numre i dette landet har vanligvis {min} sifre.")
        }
        Code::MsisdnLength => format!("Numre i dette landet har vanligvis {min}–{max} sifre."),
        Code::UnknownCallingCode => "Ukjent landskode.".into(),
        Code::Postcode => "Norske postnumre har 4 sifre.".into(),
    }
}

pub fn status(s: OrderStatus) -> &'static str {
    match s {
        OrderStatus::Sent => "Sendt",
        OrderStatus::Paid => "Betalt",
        OrderStatus::Invoiced => "Fakturert",
        OrderStatus::Cancelled => "Kansellert",
        OrderStatus::Expired => "Utløpt",
        OrderStatus::Refunded => "Refundert",
        OrderStatus::PartialRefunded => "Delvis refundert",
        OrderStatus::Reserved => "Reservert",
        OrderStatus::Reminder => "Purring",
        OrderStatus::DebtCollection => "Inkasso",
        OrderStatus::RefundPending => "Refusjon venter",
        OrderStatus::Completed => "Fullført",
    }
}

pub fn endpoint(e: Endpoint) -> &'static str {
    match e {
        Endpoint::CreatePaymentLink => "Opprettet betalingslenke",
        Endpoint::CreateInvoice => "Opprettet faktura",
        Endpoint::CreateEFaktura => "Opprettet E-Faktura",
        Endpoint::CreateEhf => "Opprettet EHF-faktura",
        Endpoint::Resend => "Sendte betalingslenke på nytt",
        Endpoint::Cancel => "Kansellerte ordre",
        Endpoint::Refund => "Refunderte",
        Endpoint::DelayedCharge => "Trakk reservert beløp",
        Endpoint::StatusAll => "Leste alle statuser",
        Endpoint::Status => "Leste status",
        Endpoint::Details => "Leste detaljer",
        Endpoint::InvoiceNumber => "Leste fakturanummer",
    }
}

pub fn message(m: ApiMessage) -> Option<&'static str> {
    Some(match m {
        ApiMessage::OrderAddedSuccessfully => "Front Payment tok imot ordren.",
        ApiMessage::ResentOrderSuccessfully => "Front Payment sendte lenken på nytt.",
        ApiMessage::CancelledOrderSuccessfully => "Front Payment kansellerte ordren.",
        ApiMessage::OrderRefundedSuccessfully => "Front Payment registrerte refusjonen.",
        ApiMessage::OrderDelayedChargedSuccessfully => "Front Payment trakk beløpet.",
        ApiMessage::OrderStatusAlreadyPaid => "Ordren er allerede betalt.",
        ApiMessage::OrderStatusAlreadyCancelled => "Ordren er allerede kansellert.",
        ApiMessage::OrderStatusNotAllowed => {
            "Ordrens status tillater ikke dette lenger (den kan ha endret seg i mellomtiden)."
        }
        ApiMessage::RefundRejectionForRefundRequestGreaterThanOrderAmount => {
            "Refusjonen er større enn det som er igjen å refundere på ordren."
        }
        ApiMessage::RequestProductIdNotAvailable => {
            "En refundert linje hører ikke til denne ordren."
        }
        ApiMessage::RefundRejectionForProductAmountExceed => {
            "En linje ville blitt refundert ut over beløpet sitt."
        }
        ApiMessage::RefundRejectionForRequestAmountThresholdExceed => {
            "Refusjonen er større enn avtalen tillater i én refusjon. Del den opp, eller be Front Payment øke grensen."
        }
        ApiMessage::RefundRejectionForWeeklyThresholdExceed => {
            "Avtalens ukentlige refusjonsgrense er nådd. Prøv igjen neste uke, eller be Front Payment øke grensen."
        }
        ApiMessage::OrderNotFound => "Det finnes ingen ordre med denne ID-en.",
        ApiMessage::Unauthenticated => "Økten er avsluttet. Logg inn igjen.",
        ApiMessage::Forbidden => "Rollen din kan ikke gjøre dette.",
        ApiMessage::IdempotencyRequestInFlight => {
            "Forespørselen behandles fortsatt. Prøv igjen om litt."
        }
        ApiMessage::IdempotencyOutcomeUnknown => {
            "Utfallet er ikke kjent ennå. Prøv igjen om litt: det blir ikke gjort to ganger."
        }
        ApiMessage::TransitionNotAllowed => {
            "Sandkassens livsløp tillater ikke dette fra nåværende status."
        }
        ApiMessage::PayloadValidationErrors => "Noen felt er ikke gyldige.",
        ApiMessage::TooManyRequests => "For mange forespørsler. Vent litt og prøv igjen.",
        ApiMessage::InternalErrorOccurredPleaseTryAgainLater => {
            "Front Payment fikk en intern feil. Prøv igjen: det blir ikke gjort to ganger."
        }
        ApiMessage::UpstreamBadResponse => {
            "Front Payment svarte noe uventet. Prøv igjen: det blir ikke gjort to ganger."
        }
        ApiMessage::UpstreamTimeout => {
            "Front Payment svarte ikke i tide. Prøv igjen: det blir ikke gjort to ganger."
        }
        ApiMessage::SomethingWentWrong => {
            "Noe gikk galt hos Front Payment. Prøv igjen: det blir ikke gjort to ganger."
        }
        _ => return None,
    })
}
