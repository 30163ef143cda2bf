//! Bar and line charts the console draws itself as SVG (no chart library): axis labels in the
//! language's number format, round tick values, and beside every chart the same figures as a
//! table (for screen readers, and for anyone who wants the numbers). The SVG is decoration
//! for assistive technology (`aria-hidden`); bars carry their label as text, never by colour.
//!
//! The layout math ([`nice_step`], [`ticks`], [`scale`], [`label_stride`], [`Frame`]) is pure.

use frontdesk_core::Money;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Lang, tx, use_i18n};

/// One bar (or point): its label (in full in the table and on a row, short on a time axis),
/// its value (øre or a count) and the list it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datum {
    pub label: String,
    pub tick: String,
    pub value: i64,
    pub href: Option<String>,
}

/// What the values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Øre.
    Money,
    Count,
}

impl Unit {
    /// The smallest tick step: a whole krone, or one.
    const fn quantum(self) -> i64 {
        match self {
            Unit::Money => 100,
            Unit::Count => 1,
        }
    }

    /// A value in full (the table).
    pub fn format(self, lang: Lang, value: i64) -> String {
        match self {
            Unit::Money => lang.money(Money(value)),
            Unit::Count => lang.number(value),
        }
    }

    /// A value on an axis or a bar: whole kroner without the øre.
    pub fn short(self, lang: Lang, value: i64) -> String {
        match self {
            Unit::Money => lang.money_whole(Money(value)),
            Unit::Count => lang.number(value),
        }
    }
}

/// How the values are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Vertical bars along a time axis.
    Bars,
    /// A line with a dot per value along a time axis.
    Line,
    /// Horizontal bars, one labelled row per value (categories).
    Rows,
}

/// What a chart is, beside its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSpec {
    /// `data-testid` of the figure; also the prefix of its element ids.
    pub id: &'static str,
    pub unit: Unit,
    pub shape: Shape,
    /// The table alternative starts open.
    pub table_open: bool,
}

/// The smallest of 1, 2 and 5 × 10^k that is at least `raw` (1 for anything below).
pub fn nice_step(raw: i64) -> i64 {
    let mut power: i64 = 1;
    loop {
        for m in [1, 2, 5] {
            let step = power.saturating_mul(m);
            if step >= raw {
                return step;
            }
        }
        match power.checked_mul(10) {
            Some(p) => power = p,
            None => return i64::MAX,
        }
    }
}

/// `a / b` rounded up, for `a ≥ 0`, `b > 0`.
fn ceil_div(a: i64, b: i64) -> i64 {
    a / b + i64::from(a % b != 0)
}

/// Axis ticks from 0 to at least `max`: about `target` steps of a round size (1, 2, 5 × 10^k
/// quanta), each a multiple of `quantum` (100 øre: ticks in whole kroner).
pub fn ticks(max: i64, target: i64, quantum: i64) -> Vec<i64> {
    let quantum = quantum.max(1);
    if max <= 0 {
        return vec![0, quantum];
    }
    let quanta_per_step = ceil_div(max, target.max(1).saturating_mul(quantum));
    let step = nice_step(quanta_per_step).saturating_mul(quantum);
    let steps = ceil_div(max, step);
    (0..=steps).map(|i| i.saturating_mul(step)).collect()
}

/// Where `value` lies on an axis `len` long whose top tick is `top` (values outside 0..=top
/// stop at its ends).
pub fn scale(value: i64, top: i64, len: f64) -> f64 {
    if top <= 0 {
        return 0.0;
    }
    value.clamp(0, top) as f64 / top as f64 * len
}

/// Label every how many-th of `n` values so that at most `room` labels are drawn.
pub fn label_stride(n: usize, room: usize) -> usize {
    n.div_ceil(room.max(1)).max(1)
}

/// The drawing area of a chart in SVG units (the viewBox is `width` × `height`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

/// Time axes: room on the left for amounts, below for dates.
const COLUMNS: Frame = Frame {
    width: 640.0,
    height: 240.0,
    left: 76.0,
    right: 8.0,
    top: 12.0,
    bottom: 32.0,
};

/// Height of one row of a [`Shape::Rows`] chart.
const ROW: f64 = 30.0;

impl Frame {
    pub fn plot_width(&self) -> f64 {
        self.width - self.left - self.right
    }
    pub fn plot_height(&self) -> f64 {
        self.height - self.top - self.bottom
    }
    /// The y of `value` on a vertical axis up to `top`.
    pub fn y(&self, value: i64, top: i64) -> f64 {
        self.height - self.bottom - scale(value, top, self.plot_height())
    }
    /// The width of one of `n` bands across the plot.
    pub fn band(&self, n: usize) -> f64 {
        self.plot_width() / n.max(1) as f64
    }
    /// The x of the middle of band `i` of `n`.
    pub fn x_center(&self, i: usize, n: usize) -> f64 {
        self.left + self.band(n) * (i as f64 + 0.5)
    }
    /// A [`Shape::Rows`] frame for `n` rows.
    pub fn rows(n: usize) -> Frame {
        Frame {
            width: 640.0,
            height: ROW * n.max(1) as f64 + 8.0,
            left: 170.0,
            right: 96.0,
            top: 4.0,
            bottom: 4.0,
        }
    }
}

/// An SVG coordinate, one decimal.
fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// A chart of `data` with its table alternative: `title` captions both, `label_header` heads
/// the table's label column.
#[component]
pub fn Chart(
    spec: ChartSpec,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] label_header: Signal<String>,
    #[prop(into)] data: Signal<Vec<Datum>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let caption_id = format!("{}-caption", spec.id);
    let value_header = move || match spec.unit {
        Unit::Money => i18n.t().amount,
        Unit::Count => i18n.t().col_count,
    };
    let drawing = move || {
        let lang = i18n.get();
        data.with(|d| match spec.shape {
            Shape::Rows => rows_svg(lang, d, spec.unit).into_any(),
            shape => columns_svg(lang, d, spec.unit, shape).into_any(),
        })
    };
    view! {
        <figure class="chart" data-testid=spec.id>
            <figcaption id=caption_id>{move || title.get()}</figcaption>
            {drawing}
            <details class="chart-table" open=spec.table_open>
                <summary>{tx(|t| t.show_table)}</summary>
                <div class="table-wrap">
                    <table class="data">
                        <caption class="sr-only">{move || title.get()}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{move || label_header.get()}</th>
                                <th scope="col" class="num">{value_header}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || data.get().into_iter().map(|d| table_row(i18n, d, spec.unit)).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

/// One row of the table alternative: the label (a link when the datum has one), the value.
fn table_row(i18n: crate::i18n::I18n, d: Datum, unit: Unit) -> impl IntoView {
    let label = match d.href {
        Some(href) => view! { <A href=href>{d.label}</A> }.into_any(),
        None => d.label.into_any(),
    };
    let value = d.value;
    view! {
        <tr data-value=value.to_string()>
            <th scope="row">{label}</th>
            <td class="num">{move || unit.format(i18n.get(), value)}</td>
        </tr>
    }
}

/// Bars or a line along a time axis, with round ticks on the left.
fn columns_svg(lang: Lang, data: &[Datum], unit: Unit, shape: Shape) -> impl IntoView {
    let f = COLUMNS;
    let max = data.iter().map(|d| d.value).max().unwrap_or(0);
    let steps = ticks(max, 4, unit.quantum());
    let top = steps.last().copied().unwrap_or(1);
    let grid = steps
        .into_iter()
        .map(|t| {
            let y = px(f.y(t, top));
            view! {
                <line class="grid" x1=px(f.left) x2=px(f.width - f.right) y1=y.clone() y2=y.clone() />
                <text class="tick" x=px(f.left - 6.0) y=y dy="0.35em" text-anchor="end">{unit.short(lang, t)}</text>
            }
        })
        .collect_view();
    let marks = match shape {
        Shape::Line => line_marks(f, data, top).into_any(),
        _ => bar_marks(f, data, top).into_any(),
    };
    let stride = label_stride(data.len(), 8);
    let labels = data
        .iter()
        .enumerate()
        .filter(|(i, _)| i % stride == 0)
        .map(|(i, d)| {
            let x = px(f.x_center(i, data.len()));
            let y = px(f.height - f.bottom + 18.0);
            view! { <text class="label" x=x y=y text-anchor="middle">{d.tick.clone()}</text> }
        })
        .collect_view();
    let baseline = px(f.height - f.bottom);
    view! {
        <svg class="chart-svg" viewBox=format!("0 0 {} {}", f.width, f.height) aria-hidden="true" focusable="false">
            {grid}
            {marks}
            <line class="axis" x1=px(f.left) x2=px(f.width - f.right) y1=baseline.clone() y2=baseline />
            {labels}
        </svg>
    }
}

/// A bar per value.
fn bar_marks(f: Frame, data: &[Datum], top: i64) -> impl IntoView {
    let n = data.len();
    let width = f.band(n) * 0.7;
    data.iter()
        .enumerate()
        .map(|(i, d)| {
            let y = f.y(d.value, top);
            let height = (f.height - f.bottom - y).max(0.0);
            view! {
                <rect class="bar" x=px(f.x_center(i, n) - width / 2.0) y=px(y) width=px(width) height=px(height) />
            }
        })
        .collect_view()
}

/// A line through the values, with a dot on each (the dots mark where the values are).
fn line_marks(f: Frame, data: &[Datum], top: i64) -> impl IntoView {
    let n = data.len();
    let points: Vec<(String, String)> = data
        .iter()
        .enumerate()
        .map(|(i, d)| (px(f.x_center(i, n)), px(f.y(d.value, top))))
        .collect();
    let path = points
        .iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ");
    let dots = points
        .into_iter()
        .map(|(x, y)| view! { <circle class="dot" cx=x cy=y r="3.5" /> })
        .collect_view();
    view! {
        <polyline class="line" points=path />
        {dots}
    }
}

/// A labelled horizontal bar per value, its value written after it.
fn rows_svg(lang: Lang, data: &[Datum], unit: Unit) -> impl IntoView {
    let f = Frame::rows(data.len());
    let max = data.iter().map(|d| d.value).max().unwrap_or(0);
    let top = ticks(max, 4, unit.quantum()).last().copied().unwrap_or(1);
    let rows = data
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let y = f.top + ROW * i as f64;
            let middle = px(y + ROW / 2.0);
            let length = scale(d.value, top, f.plot_width());
            view! {
                <text class="label" x=px(f.left - 8.0) y=middle.clone() dy="0.35em" text-anchor="end">{d.label.clone()}</text>
                <rect class="bar" x=px(f.left) y=px(y + 5.0) width=px(length) height=px(ROW - 10.0) />
                <text class="value" x=px(f.left + length + 6.0) y=middle dy="0.35em">{unit.short(lang, d.value)}</text>
            }
        })
        .collect_view();
    let bottom = px(f.height - f.bottom);
    view! {
        <svg class="chart-svg rows" viewBox=format!("0 0 {} {}", f.width, f.height) aria-hidden="true" focusable="false">
            <line class="axis" x1=px(f.left) x2=px(f.left) y1=px(f.top) y2=bottom />
            {rows}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        for (raw, step) in [
            (-3, 1),
            (0, 1),
            (1, 1),
            (2, 2),
            (3, 5),
            (5, 5),
            (6, 10),
            (11, 20),
            (21, 50),
            (51, 100),
            (303, 500),
            (1_000_001, 2_000_000),
        ] {
            assert_eq!(nice_step(raw), step, "{raw}");
        }
        assert_eq!(nice_step(i64::MAX), i64::MAX, "no overflow");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn ticks_are_round_and_reach_the_largest_value() {
        // 1 210.00 kr in øre: steps of 500 kr.
        assert_eq!(ticks(121_000, 4, 100), [0, 50_000, 100_000, 150_000]);
        // Three orders: steps of one.
        assert_eq!(ticks(3, 4, 1), [0, 1, 2, 3]);
        assert_eq!(ticks(7, 4, 1), [0, 2, 4, 6, 8]);
        // Small amounts still tick in whole kroner.
        assert_eq!(ticks(150, 4, 100), [0, 100, 200]);
        // Nothing: an axis of one quantum.
        assert_eq!(ticks(0, 4, 100), [0, 100]);
        assert_eq!(ticks(-5, 4, 1), [0, 1]);
        for max in [1, 9, 99, 1_234, 98_765, 5_000_000] {
            let t = ticks(max, 4, 1);
            let step = t[1];
            assert!(
                t.last().is_some_and(|&top| top >= max && top - step < max),
                "{max}"
            );
            assert!(t.len() <= 6, "{max}: {t:?}");
            assert!(t.windows(2).all(|w| w[1] - w[0] == step));
            assert_eq!(nice_step(step), step, "{max}: a round step");
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn values_scale_onto_the_axis() {
        assert_eq!(scale(0, 100, 200.0), 0.0);
        assert_eq!(scale(50, 100, 200.0), 100.0);
        assert_eq!(scale(100, 100, 200.0), 200.0);
        assert_eq!(scale(150, 100, 200.0), 200.0, "clamped to the top");
        assert_eq!(
            scale(-1, 100, 200.0),
            0.0,
            "negative values sit on the axis"
        );
        assert_eq!(scale(5, 0, 200.0), 0.0, "an empty axis");
        let f = COLUMNS;
        assert_eq!(f.y(0, 10), f.height - f.bottom);
        assert_eq!(f.y(10, 10), f.top);
        assert_eq!(f.x_center(0, 4), f.left + f.plot_width() / 8.0);
        assert_eq!(f.x_center(3, 4), f.width - f.right - f.plot_width() / 8.0);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn axis_labels_in_the_languages_number_format() {
        assert_eq!(Unit::Money.short(Lang::Nb, 150_000), "kr\u{a0}1\u{a0}500");
        assert_eq!(Unit::Money.short(Lang::En, 150_000), "NOK 1,500");
        assert_eq!(Unit::Money.short(Lang::En, 150_050), "NOK 1,500.50");
        assert_eq!(Unit::Money.format(Lang::En, 150_000), "NOK 1,500.00");
        assert_eq!(Unit::Count.short(Lang::Nb, 12_345), "12\u{a0}345");
        assert_eq!(Unit::Count.short(Lang::En, -1_234), "-1,234");
        assert_eq!(Unit::Count.format(Lang::En, 0), "0");
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn labels_thin_out_to_fit() {
        assert_eq!(label_stride(0, 8), 1);
        assert_eq!(label_stride(8, 8), 1);
        assert_eq!(label_stride(9, 8), 2);
        assert_eq!(label_stride(31, 8), 4);
        assert_eq!(label_stride(31, 0), 31);
    }
}
