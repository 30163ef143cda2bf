//! `/overview`, where everyone lands after signing in: for a period (this month, last month,
//! this VAT term, other dates) beside the period before it, the money in, the orders, a chart
//! of what was paid per day (or week) and one of the orders by status, what is owed by age with
//! reminders and debt collection called out, and the customers who paid most. Every figure
//! links to the orders list filtered to it. The figures are the proxy's (core's types): the
//! console formats them and subtracts one from another for the change, nothing more.

use frontdesk_core::OrderStatus;
use frontdesk_core::report::{AgeBucket, DateBasis, Granularity, Overview, Period, StatusCount};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::{self, ApiError};
use crate::components::chart::{Chart, ChartSpec, Datum, Shape, Unit};
use crate::components::notice::{ErrorNotice, StatusBadge};
use crate::i18n::{Lang, Texts, plural, tx, use_i18n};
use crate::pages::period::{self, DateRange, Preset};
use crate::util;

/// Which way a figure moved since the previous period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Up,
    Down,
    Same,
}

impl Trend {
    /// The arrow beside the figure (the signed difference says the same in words).
    pub const fn arrow(self) -> &'static str {
        match self {
            Trend::Up => "▲",
            Trend::Down => "▼",
            Trend::Same => "",
        }
    }
    const fn class(self) -> &'static str {
        match self {
            Trend::Up => "delta up",
            Trend::Down => "delta down",
            Trend::Same => "delta same",
        }
    }
    const fn sign(self) -> &'static str {
        match self {
            Trend::Up => "+",
            Trend::Down => "−",
            Trend::Same => "",
        }
    }
}

/// The direction and size of the change from `before` to `now`.
pub fn change(now: i64, before: i64) -> (Trend, i64) {
    let diff = now.saturating_sub(before);
    let trend = match diff.signum() {
        1 => Trend::Up,
        -1 => Trend::Down,
        _ => Trend::Same,
    };
    (trend, diff.saturating_abs())
}

/// The words for a bucket of days past the order or due date.
pub fn age_label(lang: Lang, bucket: AgeBucket) -> &'static str {
    let t = lang.texts();
    match bucket {
        AgeBucket::Days0To14 => t.age_0_14,
        AgeBucket::Days15To30 => t.age_15_30,
        AgeBucket::Days31To60 => t.age_31_60,
        AgeBucket::Over60 => t.age_over_60,
    }
}

/// The orders list filtered by `pairs` (the list route's own query names).
fn orders_link(pairs: &[(&str, &str)]) -> String {
    format!("/orders{}", api::query(pairs))
}

/// The orders created in `p`, of one status or all.
fn period_link(p: &Period, status: Option<OrderStatus>) -> String {
    let status = status.map(OrderStatus::as_str).unwrap_or_default();
    orders_link(&[("status", status), ("from", &p.from), ("to", &p.to)])
}

/// The orders first seen paid in `p`: those the money in counts.
fn paid_link(p: &Period) -> String {
    let basis = DateBasis::PaymentDate.as_str();
    orders_link(&[("from", &p.from), ("to", &p.to), ("basis", basis)])
}

/// The orders created in `p` and not paid yet.
fn outstanding_link(p: &Period) -> String {
    orders_link(&[("from", &p.from), ("to", &p.to), ("outstanding", "1")])
}

/// One figure of the period beside the previous period's.
#[derive(Clone)]
struct Figure {
    /// `data-testid`.
    id: &'static str,
    label: fn(&Texts) -> &'static str,
    unit: Unit,
    now: i64,
    before: i64,
    href: String,
}

/// A figure from its parts; the values are (this period, the previous one).
fn figure(
    id: &'static str,
    label: fn(&Texts) -> &'static str,
    unit: Unit,
    (now, before): (i64, i64),
    href: String,
) -> Figure {
    Figure {
        id,
        label,
        unit,
        now,
        before,
        href,
    }
}

fn money_figures(o: &Overview) -> [Figure; 3] {
    let (c, b) = (&o.current_totals, &o.previous_totals);
    // All three count the orders paid in the period (refunds count with their order).
    let paid = paid_link(&o.period);
    [
        figure(
            "figure-paid",
            |t| t.figure_paid,
            Unit::Money,
            (c.paid_ore, b.paid_ore),
            paid.clone(),
        ),
        figure(
            "figure-refunded",
            |t| t.figure_refunded,
            Unit::Money,
            (c.refunded_ore, b.refunded_ore),
            paid.clone(),
        ),
        figure(
            "figure-net",
            |t| t.figure_net,
            Unit::Money,
            (c.net_ore, b.net_ore),
            paid,
        ),
    ]
}

fn order_figures(o: &Overview) -> [Figure; 4] {
    let (c, b) = (&o.current_totals, &o.previous_totals);
    let p = &o.period;
    [
        figure(
            "figure-sent",
            |t| t.figure_sent,
            Unit::Count,
            (c.sent, b.sent),
            period_link(p, None),
        ),
        figure(
            "figure-paid-orders",
            |t| t.figure_paid,
            Unit::Count,
            (c.paid, b.paid),
            paid_link(p),
        ),
        figure(
            "figure-outstanding",
            |t| t.figure_outstanding,
            Unit::Count,
            (c.outstanding, b.outstanding),
            outstanding_link(p),
        ),
        figure(
            "figure-outstanding-amount",
            |t| t.figure_outstanding_amount,
            Unit::Money,
            (c.outstanding_ore, b.outstanding_ore),
            outstanding_link(p),
        ),
    ]
}

/// A figure: its value (a link to its orders), the change with an arrow, the previous value.
fn figure_view(lang: Lang, f: Figure) -> impl IntoView {
    let t = lang.texts();
    let (trend, diff) = change(f.now, f.before);
    let delta = match trend {
        Trend::Same => t.no_change.to_owned(),
        _ => format!("{}{}", trend.sign(), f.unit.format(lang, diff)),
    };
    let before = format!("{}: {}", t.previous_period, f.unit.format(lang, f.before));
    let value = f.unit.format(lang, f.now);
    view! {
        <div class="figure" data-testid=f.id data-value=f.now.to_string() data-previous=f.before.to_string()>
            <dt>{(f.label)(t)}</dt>
            <dd>
                <A href=f.href attr:class="figure-value">{value}</A>
                <span class=trend.class() data-testid=format!("{}-delta", f.id)>
                    <span aria-hidden="true">{trend.arrow()}</span>
                    " "
                    {delta}
                </span>
                <span class="previous muted">{before}</span>
            </dd>
        </div>
    }
}

fn figures_section(lang: Lang, o: &Overview) -> impl IntoView {
    let t = lang.texts();
    let money = money_figures(o)
        .into_iter()
        .map(|f| figure_view(lang, f))
        .collect_view();
    let orders = order_figures(o)
        .into_iter()
        .map(|f| figure_view(lang, f))
        .collect_view();
    view! {
        <div class="figure-groups">
            <section aria-labelledby="money-in-title">
                <h3 id="money-in-title">{t.money_in_title}</h3>
                <dl class="figures">{money}</dl>
            </section>
            <section aria-labelledby="order-figures-title">
                <h3 id="order-figures-title">{t.orders_figures_title}</h3>
                <dl class="figures">{orders}</dl>
            </section>
        </div>
    }
}

/// Paid per day or week: the full date in the table, a short one on the axis.
fn paid_series(lang: Lang, o: &Overview) -> Vec<Datum> {
    o.paid_series
        .iter()
        .map(|p| {
            let day = period::ymd(&p.start);
            Datum {
                label: day.map_or_else(|| p.start.clone(), |d| lang.date(d)),
                tick: day.map_or_else(|| p.start.clone(), |d| lang.short_date(d)),
                value: p.paid_ore,
                href: None,
            }
        })
        .collect()
}

/// Orders of the period per status, each a link to them.
fn status_data(lang: Lang, o: &Overview) -> Vec<Datum> {
    o.by_status
        .iter()
        .map(|s| Datum {
            label: lang.status(s.status).to_owned(),
            tick: lang.status(s.status).to_owned(),
            value: s.count,
            href: Some(period_link(&o.period, Some(s.status))),
        })
        .collect()
}

fn charts_section(lang: Lang, o: &Overview) -> impl IntoView {
    let t = lang.texts();
    let weekly = matches!(o.granularity, Granularity::Week);
    let (title, column) = if weekly {
        (t.chart_paid_week, t.col_week)
    } else {
        (t.chart_paid_day, t.col_day)
    };
    let paid = ChartSpec {
        id: "chart-paid",
        unit: Unit::Money,
        shape: Shape::Bars,
        table_open: false,
    };
    let statuses = ChartSpec {
        id: "chart-status",
        unit: Unit::Count,
        shape: Shape::Rows,
        table_open: false,
    };
    view! {
        <div class="charts">
            <Chart spec=paid title=title.to_owned() label_header=column.to_owned()
                data=Signal::stored(paid_series(lang, o)) />
            <Chart spec=statuses title=t.chart_by_status.to_owned() label_header=t.col_status.to_owned()
                data=Signal::stored(status_data(lang, o)) />
        </div>
    }
}

/// `3 orders · kr 1 200,00`.
fn count_and_amount(lang: Lang, count: i64, amount_ore: i64) -> String {
    let t = lang.texts();
    format!(
        "{} {} · {}",
        lang.number(count),
        plural(count, t.order_one, t.orders_count),
        Unit::Money.format(lang, amount_ore)
    )
}

/// One called-out status (reminder, debt collection): all its orders, whatever the period.
fn callout_item(lang: Lang, s: &StatusCount) -> impl IntoView {
    let href = orders_link(&[("status", s.status.as_str())]);
    let testid = format!(
        "owed-{}",
        s.status.as_str().to_lowercase().replace(' ', "-")
    );
    // Plain values: a link's children are built later, after `s` is gone.
    let (status, count, amount) = (s.status, s.count, s.amount_ore);
    view! {
        <li data-testid=testid data-count=count.to_string() data-amount=amount.to_string()>
            <StatusBadge status=Signal::stored(Some(status)) />
            " "
            <A href=href>{count_and_amount(lang, count, amount)}</A>
        </li>
    }
}

fn owed_section(lang: Lang, o: &Overview) -> impl IntoView {
    let t = lang.texts();
    let rows = o
        .owed
        .iter()
        .map(|w| {
            let bucket = w.bucket.as_str();
            let href = orders_link(&[("overdue", bucket)]);
            let (age, count, amount) = (w.bucket, w.count, w.amount_ore);
            view! {
                <tr data-bucket=bucket data-count=count.to_string() data-amount=amount.to_string()>
                    <th scope="row"><A href=href>{age_label(lang, age)}</A></th>
                    <td class="num">{lang.number(count)}</td>
                    <td class="num">{Unit::Money.format(lang, amount)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card wide owed" id="owed" aria-labelledby="owed-title">
            <h3 id="owed-title">{t.owed_title}</h3>
            <p class="muted small-print">{t.owed_intro}</p>
            <div class="table-wrap">
                <table class="data" data-testid="owed-table">
                    <caption class="sr-only">{t.owed_title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t.col_age}</th>
                            <th scope="col" class="num">{t.col_count}</th>
                            <th scope="col" class="num">{t.amount}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="callout" data-testid="owed-callout">
                <h4>{t.callout_title}</h4>
                <ul>
                    {callout_item(lang, &o.reminders)}
                    {callout_item(lang, &o.debt_collection)}
                </ul>
            </div>
        </section>
    }
}

fn top_section(lang: Lang, o: &Overview) -> impl IntoView {
    let t = lang.texts();
    let rows = o
        .top_customers
        .iter()
        .map(|c| {
            // No customer book yet: the customer's orders are a search of the list.
            let href = orders_link(&[("q", &c.name)]);
            let (name, orders, paid) = (c.name.clone(), c.orders, c.paid_ore);
            view! {
                <tr data-paid=paid.to_string()>
                    <th scope="row"><A href=href>{name}</A></th>
                    <td class="num">{lang.number(orders)}</td>
                    <td class="num">{Unit::Money.format(lang, paid)}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = o.top_customers.is_empty();
    view! {
        <section class="card wide" aria-labelledby="top-title">
            <h3 id="top-title">{t.top_customers_title}</h3>
            <div class="table-wrap">
                <table class="data" data-testid="top-customers">
                    <caption class="sr-only">{t.top_customers_title}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t.col_customer}</th>
                            <th scope="col" class="num">{t.col_count}</th>
                            <th scope="col" class="num">{t.figure_paid}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {empty.then(|| view! { <p class="muted">{t.no_figures}</p> })}
        </section>
    }
}

/// Everything the proxy answered for the period.
fn overview_body(lang: Lang, o: &Overview) -> impl IntoView {
    let t = lang.texts();
    let shown = format!(
        "{} · {} {}",
        period::label(lang, &o.period),
        t.compared_with,
        period::label(lang, &o.previous)
    );
    view! {
        <p class="period-shown" data-testid="period-shown" data-from=o.period.from.clone() data-to=o.period.to.clone()>
            {shown}
        </p>
        {figures_section(lang, o)}
        {charts_section(lang, o)}
        {owed_section(lang, o)}
        {top_section(lang, o)}
    }
}

/// The preset buttons and, for other dates, the two date fields.
#[component]
fn PeriodPicker(preset: RwSignal<Preset>, period: RwSignal<Period>) -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |choice: Preset| {
        preset.set(choice);
        if let Some(p) = choice.period(util::now_unix()) {
            period.set(p);
        }
    };
    let buttons = Preset::ALL
        .into_iter()
        .map(|choice| {
            let selected = move || preset.get() == choice;
            view! {
                <button type="button" class="tab" class:selected=selected
                    aria-pressed=move || selected().to_string()
                    data-preset=format!("{choice:?}")
                    on:click=move |_| choose(choice)>
                    {move || choice.label(i18n.get())}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="period-picker no-print">
            <div class="presets" role="group" aria-label=tx(|t| t.period_label)>{buttons}</div>
            <Show when=move || preset.get() == Preset::Custom>
                <DateRange period=period />
            </Show>
        </div>
    }
}

/// The period in the address (`?from=&to=`) when valid, else this month.
fn initial_period() -> (Preset, Period) {
    let query = use_query_map();
    let typed = query.with_untracked(|q| {
        let (from, to) = (q.get("from")?, q.get("to")?);
        period::custom(&from, &to).ok()
    });
    match typed {
        Some(p) => (Preset::Custom, p),
        None => (Preset::ThisMonth, Period::this_month(util::now_unix())),
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let (first_preset, first_period) = initial_period();
    let preset = RwSignal::new(first_preset);
    let period = RwSignal::new(first_period);
    let data = RwSignal::new(None::<Overview>);
    let error = RwSignal::new(None::<ApiError>);
    let loading = RwSignal::new(false);
    let latest = util::Latest::default();

    let load = move || {
        let p = period.get_untracked();
        let mine = latest.ticket();
        loading.set(true);
        leptos::task::spawn_local(async move {
            let result = api::overview(&p.from, &p.to).await;
            if !latest.is_current(mine) {
                return;
            }
            loading.set(false);
            match result {
                Ok(o) => {
                    error.set(None);
                    data.set(Some(o));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    Effect::new(move |_| {
        let p = period.get();
        // Only typed dates go in the address: a preset means "now" when the link is opened.
        let query = match preset.get_untracked() {
            Preset::Custom => api::query(&[("from", &p.from), ("to", &p.to)]),
            _ => String::new(),
        };
        util::replace_query(&query);
        load();
    });

    let body = move || {
        let lang = i18n.get();
        data.with(|o| o.as_ref().map(|o| overview_body(lang, o).into_any()))
    };
    view! {
        <section class="overview-page" aria-labelledby="overview-title">
            <div class="page-head">
                <h2 id="overview-title">{tx(|t| t.overview_title)}</h2>
            </div>
            <PeriodPicker preset=preset period=period />
            <ErrorNotice error=error retry=Callback::new(move |_| load()) />
            <div class="overview-body" aria-busy=move || loading.get().to_string() data-testid="overview">
                {body}
            </div>
            <Show when=move || data.with(Option::is_none) && error.with(Option::is_none)>
                <p class="muted">{tx(|t| t.loading)}</p>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn changes_have_a_direction_and_a_size() {
        assert_eq!(change(150, 100), (Trend::Up, 50));
        assert_eq!(change(100, 150), (Trend::Down, 50));
        assert_eq!(change(7, 7), (Trend::Same, 0));
        assert_eq!(change(0, -3), (Trend::Up, 3));
        assert_eq!(change(i64::MIN, i64::MAX).0, Trend::Down, "no overflow");
        assert_eq!(Trend::Up.arrow(), "▲");
        assert_eq!(Trend::Down.arrow(), "▼");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn buckets_read_and_travel_by_their_wire_names() {
        let buckets = [
            (AgeBucket::Days0To14, "0-14", "0–14 days"),
            (AgeBucket::Days15To30, "15-30", "15–30 days"),
            (AgeBucket::Days31To60, "31-60", "31–60 days"),
            (AgeBucket::Over60, "60+", "More than 60 days"),
        ];
        for (bucket, wire, words) in buckets {
            assert_eq!(bucket.as_str(), wire);
            assert_eq!(age_label(Lang::En, bucket), words);
        }
    }

    // `api::query` encodes through the browser (`encodeURIComponent`).
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen_test]
    fn figures_link_to_the_filtered_list() {
        let p = period::custom("2026-01-01", "2026-01-31").expect("January");
        assert_eq!(
            period_link(&p, Some(OrderStatus::DebtCollection)),
            "/orders?status=DEBT%20COLLECTION&from=2026-01-01&to=2026-01-31"
        );
        assert_eq!(
            period_link(&p, None),
            "/orders?from=2026-01-01&to=2026-01-31"
        );
        assert_eq!(orders_link(&[("overdue", "60+")]), "/orders?overdue=60%2B");
        assert_eq!(
            paid_link(&p),
            "/orders?from=2026-01-01&to=2026-01-31&basis=paymentDate"
        );
        assert_eq!(
            outstanding_link(&p),
            "/orders?from=2026-01-01&to=2026-01-31&outstanding=1"
        );
    }
}
