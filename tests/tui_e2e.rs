//! The real binary in a pseudo-terminal, typed at like a person.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kanta::domain::CustomerDraft;
use kanta::store::Store;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 100;

struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    /// Bytes the dashboard has written to the terminal so far.
    written: Arc<AtomicUsize>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
}

impl Session {
    fn start(db: &Path, home: &Path) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_kanta"));
        cmd.arg("--db");
        cmd.arg(db);
        // A private home: no user config, English whatever the machine's locale.
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("LANG", "en_US.UTF-8");
        cmd.env("LC_ALL", "en_US.UTF-8");
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).expect("kanta starts");
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
        let sink = Arc::clone(&screen);
        let written = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&written);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut parser) = sink.lock() {
                    parser.process(&buf[..n]);
                }
                counter.fetch_add(n, Ordering::SeqCst);
            }
        });
        Session {
            screen,
            writer,
            child,
            written,
            master: pair.master,
        }
    }

    fn contents(&self) -> String {
        self.screen
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Waits until the screen shows `text`; panics with the screen if it never does.
    fn wait_for(&self, text: &str, timeout: Duration) {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "{text:?} not on screen after {timeout:?}:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to pty");
        self.writer.flush().expect("flush pty");
        // One key at a time, as a person types: each gets its own read.
        std::thread::sleep(Duration::from_millis(30));
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let mut buf = [0u8; 4];
            self.send(c.encode_utf8(&mut buf).as_bytes());
        }
    }

    fn resize(&mut self, rows: u16, cols: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
        if let Ok(mut parser) = self.screen.lock() {
            parser.screen_mut().set_size(rows, cols);
        }
    }

    fn quit(mut self) {
        self.send(b"q");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "kanta exited with {status:?}");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("kanta did not quit on q:\n{}", self.contents());
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

const LONG: Duration = Duration::from_secs(10);

fn draft(name: &str, phone: &str) -> CustomerDraft {
    CustomerDraft {
        name: name.to_string(),
        phones: vec![phone.to_string()],
        ..CustomerDraft::default()
    }
}

fn store_with(db: &Path, customers: &[CustomerDraft]) {
    let mut store = Store::open_or_create(db).expect("store");
    for c in customers {
        store.insert_customer(c).expect("insert");
    }
}

#[test]

fn phone_digits_in_search_open_the_card() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(
        &db,
        &[
            draft("Aino Virtanen", "+358 40 123 4567"),
            draft("Bertil Ek", "050 765 4321"),
        ],
    );
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.send(b"/");
    s.wait_for("Search", LONG);
    s.type_text("0401234");
    s.wait_for("Aino Virtanen", LONG);
    assert!(!s.contents().contains("Bertil Ek"));
    s.send(b"\r");
    s.wait_for("Customer: Aino Virtanen", LONG);
    s.wait_for("+358 40 123 4567", LONG);
    s.send(b"\x1b");
    // A number pasted from elsewhere finds the customer too.
    s.send(b"/");
    s.send(b"\x1b[200~050-765 4321\x1b[201~");
    s.wait_for("Bertil Ek", LONG);
    s.send(b"\x1b");
    s.quit();
}

#[test]

fn a_customer_added_in_the_form_is_there_after_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(&db, &[]);
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.send(b"n");
    s.type_text("Kaisa Koivisto");
    // Ctrl-S saves the form.
    s.send(b"\x13");
    s.wait_for("Saved", LONG);
    s.send(b"\x1b");
    s.quit();

    // Opening the dashboard took the day's automatic backup beside the store,
    // one file a day, and it is a sound copy.
    let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .expect("a backups folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let name = backups[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("kanta-") && name.ends_with(".db"),
        "{name}"
    );
    let check: String = rusqlite::Connection::open(&backups[0])
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");

    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.send(b"/");
    s.type_text("koivisto");
    s.wait_for("Kaisa Koivisto", LONG);
    s.send(b"\x1b");
    s.quit();
    // The second opening the same day adds no second backup.
    assert_eq!(
        std::fs::read_dir(dir.path().join("backups"))
            .unwrap()
            .count(),
        1
    );
}

#[test]

fn a_row_written_by_another_connection_appears_within_two_seconds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(&db, &[draft("Aino Virtanen", "0401234567")]);
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.send(b"5");
    s.wait_for("Aino Virtanen", LONG);
    // Another program writes; the dashboard is idle, nobody presses a key.
    store_with(&db, &[draft("Outi Ulkopuolinen", "0501112223")]);
    s.wait_for("Outi Ulkopuolinen", Duration::from_millis(2500));
    s.quit();
}

#[test]
fn an_idle_dashboard_draws_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(&db, &[draft("Aino Virtanen", "0401234567")]);
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    // The customer list fills in once the background load is done: only then
    // is the dashboard idle.
    s.send(b"5");
    s.wait_for("Aino Virtanen", LONG);
    // Let the frame settle, then watch: two data checks pass, no bytes.
    // Any draw writes at least the hide-cursor sequence, so a redraw shows here.
    std::thread::sleep(Duration::from_millis(500));
    let before = s.written.load(Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(
        s.written.load(Ordering::SeqCst),
        before,
        "redrew while idle"
    );
    s.quit();
}

#[test]
fn a_too_small_terminal_gets_a_message_and_recovers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("kanta.db");
    store_with(&db, &[]);
    let mut s = Session::start(&db, dir.path());
    s.wait_for("Pyramid", LONG);
    s.resize(12, 50);
    s.wait_for("Terminal too small", LONG);
    s.resize(ROWS, COLS);
    s.wait_for("Pyramid", LONG);
    s.quit();
}
