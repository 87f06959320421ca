//! What the speed benchmark drives: the dashboard in-process, drawing into a
//! `TestBackend`, with the same loading steps and keys as the real loop.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::Config;
use crate::i18n::Lang;
use crate::store::Store;

use super::TuiError;
use super::app::App;
use super::data::Rules;
use super::draw;
use super::keymap::Keymap;
use super::loader::{self, Loader};

/// The timings of one cold open.
#[derive(Debug, Clone, Copy)]
pub struct ColdOpen {
    /// From opening the store to the default pane drawn complete.
    pub first_frame: Duration,
    /// The CPU time of that, where the system tells (Linux).
    pub first_frame_cpu: Option<Duration>,
    /// From opening the store to every pane's data in.
    pub all_loaded: Duration,
}

/// The dashboard over a loaded store, drawn into a test terminal.
pub struct Dashboard {
    app: App,
    terminal: Terminal<TestBackend>,
}

fn terminal(width: u16, height: u16) -> Result<Terminal<TestBackend>, TuiError> {
    Terminal::new(TestBackend::new(width, height)).map_err(|e| match e {})
}

fn render(app: &App, terminal: &mut Terminal<TestBackend>) -> Result<(), TuiError> {
    terminal
        .draw(|frame| draw::draw(frame, app))
        .map(|_| ())
        .map_err(|e| match e {})
}

/// Opens the store as `kanta` does and draws the first frame; then waits for
/// the background load (the follow-up rules write into the store). The rules
/// run only in the first open of a day's data; later ones find nothing new.
pub fn cold_open(
    path: &Path,
    today: NaiveDate,
    width: u16,
    height: u16,
) -> Result<(ColdOpen, Dashboard), TuiError> {
    let start = Instant::now();
    let cpu_start = thread_cpu();
    let config = Config::default();
    let mut store = Store::open(path)?;
    let (data, base) = loader::first_frame(&store, today, &config)?;
    let mut app = App::new(data, Lang::En, Keymap::default());
    let mut terminal = terminal(width, height)?;
    render(&app, &mut terminal)?;
    let first_frame = start.elapsed();
    let first_frame_cpu = thread_cpu()
        .zip(cpu_start)
        .map(|(end, begin)| end.saturating_sub(begin));
    // As the dashboard does: the check for damage beside the load.
    let path = store.path().to_path_buf();
    let checking = std::thread::spawn(move || Store::open(&path).and_then(|s| s.check_sound()));
    let mut loading = Loader::start(store.path(), base, today, &config, Rules::Apply, Lang::En);
    let data = loading.wait(&mut store)?;
    let mut frames = super::frames::Frames::start(&data, &config);
    app.set_data(data);
    render(&app, &mut terminal)?;
    let all_loaded = start.elapsed();
    // As the dashboard does once the check has passed: the rules'
    // follow-ups the load showed written, and the next days' first frames
    // kept, here before any key is measured.
    let _ = checking.join();
    let mut deferred = std::mem::take(&mut loading.deferred);
    super::event_loop::write_deferred(&mut app, &mut store, &mut deferred, &mut frames, &config);
    if let Some(frames) = frames {
        frames.wait(&mut store);
    }
    Ok((
        ColdOpen {
            first_frame,
            first_frame_cpu,
            all_loaded,
        },
        Dashboard { app, terminal },
    ))
}

/// CPU time of the calling thread so far: on a loaded machine wall time
/// alone says little. The first field of `/proc/thread-self/schedstat`.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

impl Dashboard {
    /// Presses one key and draws the frame it leads to; returns how long that took.
    pub fn press(&mut self, code: KeyCode) -> Result<Duration, TuiError> {
        let start = Instant::now();
        // Keys that would read the store (opening a card) are not measured here.
        let _effect = self.app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
        render(&self.app, &mut self.terminal)?;
        Ok(start.elapsed())
    }

    /// Rows the search box shows now.
    pub fn search_results(&self) -> usize {
        self.app.search.as_ref().map_or(0, |s| s.results.len())
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        let buffer = self.terminal.backend().buffer();
        let width = usize::from(buffer.area.width.max(1));
        buffer
            .content
            .chunks(width)
            .map(|line| line.iter().map(|c| c.symbol()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }
}
