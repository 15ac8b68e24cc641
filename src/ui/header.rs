//! The header line: instance (in its colour), GitLab URL, credential source, badges, and the
//! deprecation banner when a server sent one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use crate::state::State;

pub fn render(state: &State, frame: &mut Frame, area: Rect) {
    let ctx = &state.context;
    let mut spans = vec![
        Span::styled(
            format!(" {} ", ctx.instance_name),
            theme::instance(ctx.color.as_deref()),
        ),
        Span::styled(
            if ctx.contexts.len() > 1 {
                format!(" ctx {} ", ctx.context_name)
            } else {
                String::new()
            },
            theme::dim(),
        ),
        Span::raw(" "),
        Span::raw(ctx.gitlab_url.clone()),
        Span::styled(format!("  token: {}", ctx.credential), theme::dim()),
    ];
    if ctx.demo {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(" DEMO ", theme::badge(theme::palette().demo)));
    }
    for (service, what) in &ctx.insecure {
        spans.push(Span::raw("  "));
        let who = match service {
            crate::state::Service::GitLab => "GitLab",
            crate::state::Service::Vehaas => "veHaaS",
        };
        spans.push(Span::styled(
            format!(" INSECURE {who}: {what} "),
            theme::badge(theme::palette().danger).add_modifier(Modifier::BOLD),
        ));
    }
    if ctx.read_only {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(
            " READ-ONLY ",
            theme::badge(theme::palette().ok).add_modifier(Modifier::BOLD),
        ));
    }
    spans.push(Span::raw("  "));
    spans.push(Span::styled(" experimental API ", theme::warn()));
    if state.paused {
        spans.push(Span::styled("  ⏸ auto-refresh paused", theme::warn()));
    }
    let mut lines = vec![Line::from(spans)];
    if let Some(b) = &state.banner {
        lines.push(Line::from(Span::styled(
            format!(" ⚠ {}", super::words::deprecation(b)),
            theme::badge(theme::palette().warn),
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
