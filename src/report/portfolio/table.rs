//! The portfolio in the terminal: the verdict counts, the most common gaps, the themes,
//! and one line per system, worst first, with a cell per theme.

use std::fmt::Write as _;
use std::io::Write;

use comfy_table::Cell;

use super::view::{PortfolioView, system_lines};
use crate::portfolio::Portfolio;
use crate::report::RenderOptions;
use crate::report::error::Result;
use crate::report::labels::sanitize_terminal;
use crate::report::table::grid;
use crate::report::terminal::paint;

/// Writes the terminal view of a portfolio.
pub(crate) fn write(
    portfolio: &Portfolio,
    options: &RenderOptions<'_>,
    out: &mut dyn Write,
) -> Result<()> {
    let view = PortfolioView::new(portfolio, options);
    let color = options.color;
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{} {} · {} · as of {} · {} rules · profile {} · fail on {}",
        view.record.tool,
        view.record.tool_version,
        paint(&view.title, "1", color),
        view.record.as_of,
        view.record.rules,
        sanitize_terminal(&portfolio.profile.id),
        view.record.fail_on
    );
    for line in &view.headlines {
        let _ = writeln!(text, "{}", sanitize_terminal(line));
    }
    let verdicts: Vec<String> = view
        .verdicts
        .iter()
        .map(|v| {
            let code = match v.verdict {
                "reject" => "1;31",
                "conditional" => "1;33",
                _ => "1;32",
            };
            format!(
                "{} {} ({})",
                paint(&v.verdict.to_uppercase(), code, color),
                v.share.text,
                v.share.percent
            )
        })
        .collect();
    let _ = writeln!(text, "Verdicts: {}", verdicts.join(" · "));
    let levels: Vec<String> = view
        .levels
        .iter()
        .map(|l| format!("{} {}", l.level, l.share.text))
        .collect();
    let _ = writeln!(text, "Impact levels: {}", levels.join(" · "));
    let _ = writeln!(
        text,
        "At or above the failure threshold ({}): {}",
        view.record.fail_on, view.failing_text
    );

    let f = &view.findings;
    let _ = writeln!(
        text,
        "Findings: gaps the answers show {} · open questions, left blank {} · never asked by the source {} · fields answered of those the sources ask {}",
        f.answered_gaps_text, f.open_questions_text, f.not_asked_text, f.answered
    );

    common_gaps(&mut text, &view, options);
    organisations(&mut text, &view, options);
    themes(&mut text, &view, options);
    systems(&mut text, &view, portfolio, options);
    if !view.error_lines.is_empty() {
        let _ = writeln!(text, "\n{}", paint("Could not be assessed", "1;31", color));
        for e in &view.error_lines {
            let _ = writeln!(
                text,
                "{}: {}\n  help: {}",
                sanitize_terminal(&e.location),
                sanitize_terminal(&e.message),
                sanitize_terminal(&e.help)
            );
        }
    }
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// The rules with the most gaps.
fn common_gaps(text: &mut String, view: &PortfolioView, options: &RenderOptions<'_>) {
    let color = options.color;
    if !view.common_gaps.is_empty() {
        let _ = writeln!(
            text,
            "\n{} (gaps and open questions as shares of the systems whose source asks the rule)",
            paint("Most common gaps the answers show", "1", color)
        );
        let mut g = grid(
            options,
            vec![
                "Rule",
                "Severity",
                "Gap in",
                "Open in",
                "Asked of",
                "Not asked in",
                "Title",
            ],
        );
        for c in &view.common_gaps {
            g.add_row(vec![
                Cell::new(&c.rule_id),
                Cell::new(&c.severity),
                Cell::new(format!("{} ({})", c.gap.text, c.gap.percent)),
                Cell::new(format!("{} ({})", c.unknown.text, c.unknown.percent)),
                Cell::new(&c.asked),
                Cell::new(&c.not_asked.text),
                Cell::new(sanitize_terminal(&c.title)),
            ]);
        }
        let _ = writeln!(text, "{g}");
    }
}

/// One line per deploying organisation, worst first.
fn organisations(text: &mut String, view: &PortfolioView, options: &RenderOptions<'_>) {
    let color = options.color;
    if view.organisations.is_empty() {
        return;
    }
    let _ = writeln!(
        text,
        "\n{} (worst first: systems rejected, then the least of what the source asks answered, then gaps per system)",
        paint("Organisations", "1", color)
    );
    let mut g = grid(
        options,
        vec![
            "Organisation",
            "Systems",
            "Reject/cond./acc.",
            "Levels",
            "Answered",
            "Gaps",
            "Open",
            "Not asked",
            "Most common gaps",
        ],
    );
    for o in &view.organisations {
        g.add_row(vec![
            Cell::new(sanitize_terminal(&o.name)),
            Cell::new(&o.systems),
            Cell::new(format!("{}/{}/{}", o.reject, o.conditional, o.acceptable)),
            Cell::new(&o.levels),
            Cell::new(&o.answered_text),
            Cell::new(&o.gaps),
            Cell::new(&o.unknown),
            Cell::new(&o.not_asked),
            Cell::new(o.top_gaps.join(", ")),
        ]);
    }
    let _ = writeln!(text, "{g}");
}

/// Systems per theme and state.
fn themes(text: &mut String, view: &PortfolioView, options: &RenderOptions<'_>) {
    let color = options.color;
    let _ = writeln!(text, "\n{}", paint("Themes (systems)", "1", color));
    let mut g = grid(
        options,
        vec![
            "#",
            "Theme",
            "Gap",
            "Open question",
            "Not asked",
            "Met",
            "Waived",
            "Not applicable",
        ],
    );
    for t in &view.themes {
        g.add_row(vec![
            Cell::new(t.number),
            Cell::new(sanitize_terminal(&t.label)),
            Cell::new(&t.gap.text),
            Cell::new(&t.unknown.text),
            Cell::new(&t.not_asked.text),
            Cell::new(&t.pass.text),
            Cell::new(&t.waived.text),
            Cell::new(&t.not_applicable.text),
        ]);
    }
    let _ = writeln!(text, "{g}");
}

/// One line per system, worst first.
fn systems(
    text: &mut String,
    view: &PortfolioView,
    portfolio: &Portfolio,
    options: &RenderOptions<'_>,
) {
    let color = options.color;
    if !portfolio.systems.is_empty() {
        let _ = writeln!(
            text,
            "\n{} (worst first; themes 1–{} as numbered above: ✗ gap, ? open question, - not asked by the source, w waived, ✓ met, · not applicable)",
            paint("Systems", "1", color),
            view.themes.len()
        );
        let mut g = grid(
            options,
            vec![
                "System", "Verdict", "Level", "Gaps", "Open", "Themes", "File",
            ],
        );
        for s in system_lines(portfolio) {
            let cells: String = s.cells.iter().map(|c| c.symbol).collect();
            g.add_row(vec![
                Cell::new(sanitize_terminal(&s.name)),
                Cell::new(s.verdict),
                Cell::new(s.level),
                Cell::new(s.gaps),
                Cell::new(s.unknown),
                Cell::new(cells),
                Cell::new(sanitize_terminal(&s.file)),
            ]);
        }
        let _ = writeln!(text, "{g}");
    }
}
