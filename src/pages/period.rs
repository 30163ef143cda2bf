//! The periods the overview and the VAT report ask the proxy for: the presets people pick, the
//! dates they type, and how a period reads on the page. What a period is (Oslo calendar days,
//! `YYYY-MM-DD`, inclusive, at most a year), months and VAT terms are core's ([`Period`]).

use frontdesk_core::clock;
use frontdesk_core::report::{self, Period, PeriodError, vat_term};
use leptos::prelude::*;

use crate::i18n::{Lang, tx, use_i18n};

/// A calendar day: (year, month 1–12, day 1–31).
pub type Ymd = (i64, u32, u32);

/// What the period picker offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    ThisMonth,
    LastMonth,
    VatTerm,
    Custom,
}

impl Preset {
    pub const ALL: [Preset; 4] = [
        Preset::ThisMonth,
        Preset::LastMonth,
        Preset::VatTerm,
        Preset::Custom,
    ];

    /// The period this preset means at `now` (Unix seconds); `None`: custom, the dates say.
    pub fn period(self, now: i64) -> Option<Period> {
        match self {
            Preset::ThisMonth => Some(Period::this_month(now)),
            Preset::LastMonth => Some(Period::last_month(now)),
            Preset::VatTerm => Some(Period::vat_term_of(now)),
            Preset::Custom => None,
        }
    }

    /// Its name on the picker.
    pub fn label(self, lang: Lang) -> &'static str {
        let t = lang.texts();
        match self {
            Preset::ThisMonth => t.period_this_month,
            Preset::LastMonth => t.period_last_month,
            Preset::VatTerm => t.period_vat_term,
            Preset::Custom => t.period_custom,
        }
    }
}

/// The year and the term number (1 = January–February … 6) of the VAT term of `now`.
pub fn current_term(now: i64) -> (i32, u8) {
    let (y, ..) = clock::oslo_date(now);
    let year = i32::try_from(y).unwrap_or(i32::MAX);
    let current = Period::vat_term_of(now);
    let term = (1..=6).find(|&n| vat_term(year, n) == current).unwrap_or(1);
    (year, term)
}

/// A `YYYY-MM-DD` day as (year, month, day), read as core reads it.
pub fn ymd(day: &str) -> Option<Ymd> {
    report::parse_day(day).map(clock::civil_from_days)
}

/// A period from two typed days (`YYYY-MM-DD`, what `<input type=date>` gives), by core's rules.
pub fn custom(from: &str, to: &str) -> Result<Period, PeriodError> {
    Period::parse(Some(from), Some(to))
}

/// A day as people read it (`05.01.2026`, `5 Jan 2026`); the text as it is when no day.
pub fn day_label(lang: Lang, day: &str) -> String {
    ymd(day).map_or_else(|| day.to_owned(), |d| lang.date(d))
}

/// `01.01.2026–31.01.2026`.
pub fn label(lang: Lang, p: &Period) -> String {
    format!("{}–{}", day_label(lang, &p.from), day_label(lang, &p.to))
}

/// Why typed dates are not asked for, in words.
pub fn error_text(lang: Lang, e: PeriodError) -> &'static str {
    let t = lang.texts();
    match e {
        PeriodError::BadFrom | PeriodError::BadTo => t.period_bad_date,
        PeriodError::Reversed => t.period_reversed,
        PeriodError::TooLong => t.period_too_long,
    }
}

/// Two date fields (starting at `period`'s days) that set `period` when they make one.
#[component]
pub fn DateRange(period: RwSignal<Period>) -> impl IntoView {
    let i18n = use_i18n();
    let from = RwSignal::new(period.with_untracked(|p| p.from.clone()));
    let to = RwSignal::new(period.with_untracked(|p| p.to.clone()));
    let problem = RwSignal::new(None::<PeriodError>);
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match custom(&from.get_untracked(), &to.get_untracked()) {
            Ok(p) => {
                problem.set(None);
                period.set(p);
            }
            Err(e) => problem.set(Some(e)),
        }
    };
    view! {
        <form class="filters date-range" on:submit=apply>
            <label>
                <span>{tx(|t| t.date_from)}</span>
                <input type="date" data-testid="period-from" prop:value=move || from.get()
                    on:input=move |ev| from.set(event_target_value(&ev)) />
            </label>
            <label>
                <span>{tx(|t| t.date_to)}</span>
                <input type="date" data-testid="period-to" prop:value=move || to.get()
                    on:input=move |ev| to.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="secondary" data-testid="period-apply">{tx(|t| t.show_period)}</button>
        </form>
        <p class="field-error" role="status" data-testid="period-error">
            {move || problem.get().map(|e| error_text(i18n.get(), e))}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// 2024-03-15 12:00 UTC.
    const MID_MARCH_2024: i64 = 1_710_504_000;
    /// 2026-01-02 12:00 UTC.
    const JAN_2026: i64 = 1_767_355_200;

    fn p(from: &str, to: &str) -> Option<Period> {
        Some(Period {
            from: from.into(),
            to: to.into(),
        })
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn presets_are_core_periods() {
        let now = MID_MARCH_2024;
        assert_eq!(Preset::ThisMonth.period(now), p("2024-03-01", "2024-03-31"));
        assert_eq!(Preset::LastMonth.period(now), p("2024-02-01", "2024-02-29"));
        assert_eq!(Preset::VatTerm.period(now), p("2024-03-01", "2024-04-30"));
        assert_eq!(
            Preset::LastMonth.period(JAN_2026),
            p("2025-12-01", "2025-12-31")
        );
        assert_eq!(Preset::Custom.period(now), None);
        assert_eq!(current_term(now), (2024, 2));
        assert_eq!(current_term(JAN_2026), (2026, 1));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn typed_periods_are_checked_before_asking() {
        assert!(custom("2026-01-01", "2026-01-01").is_ok());
        assert!(custom("2024-01-01", "2024-12-31").is_ok(), "366 days");
        assert_eq!(
            custom("2025-01-01", "2026-01-02"),
            Err(PeriodError::TooLong)
        );
        assert_eq!(
            custom("2026-01-02", "2026-01-01"),
            Err(PeriodError::Reversed)
        );
        assert_eq!(custom("", "2026-01-01"), Err(PeriodError::BadFrom));
        assert_eq!(
            error_text(Lang::En, PeriodError::BadTo),
            "Enter both dates."
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn periods_read_per_language() {
        let jan = custom("2026-01-01", "2026-01-31").unwrap();
        assert_eq!(label(Lang::Nb, &jan), "01.01.2026–31.01.2026");
        assert_eq!(label(Lang::En, &jan), "1 Jan 2026–31 Jan 2026");
        assert_eq!(ymd("2026-01-05"), Some((2026, 1, 5)));
        assert_eq!(day_label(Lang::En, "soon"), "soon");
    }
}
