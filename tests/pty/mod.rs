//! The real binary in a pseudo-terminal, typed at like a person: shared by
//! the end-to-end tests and the fault suite.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;

/// A terminal dimension as the screen parser takes it: never zero.
fn lines(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a terminal is at least one line and one column")
}

pub struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    /// Bytes the dashboard has written to the terminal so far.
    pub written: Arc<AtomicUsize>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
}

impl Session {
    pub fn start(db: &Path, home: &Path) -> Session {
        let db = db.to_string_lossy().into_owned();
        Session::start_with(&["--db", &db], home)
    }

    /// `kanta ARGS` in the private home, without `$KANTA_DB`.
    pub fn start_with(args: &[&str], home: &Path) -> Session {
        Session::start_in_locale(
            args,
            home,
            &[("LANG", "en_US.UTF-8"), ("LC_ALL", "en_US.UTF-8")],
        )
    }

    /// The same with these locale variables and no others (`LANG`,
    /// `LC_MESSAGES`, `LC_ALL`).
    pub fn start_in_locale(args: &[&str], home: &Path, locale: &[(&str, &str)]) -> Session {
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
        cmd.args(args);
        cmd.env_remove("KANTA_DB");
        // A private home: no user config, and only the locale asked for.
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        for name in ["LANG", "LC_MESSAGES", "LC_ALL", "LANGUAGE"] {
            cmd.env_remove(name);
        }
        for (name, value) in locale {
            cmd.env(name, value);
        }
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).expect("kanta starts");
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(lines(ROWS), lines(COLS), 0)));
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

    /// The dashboard's process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap_or(0)
    }

    /// Kills the dashboard as `kill -9` would, mid-whatever it was doing.
    pub fn kill_nine(mut self) {
        let pid = self.pid().to_string();
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid])
            .status();
        let _ = self.child.wait();
    }

    /// True once the dashboard has exited.
    pub fn has_exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    pub fn contents(&self) -> String {
        self.screen
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Waits until the screen shows `text`; panics with the screen if it never does.
    pub fn wait_for(&self, text: &str, timeout: Duration) {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "{text:?} not on screen after {timeout:?} ({}; {} bytes written):\n{}",
            self.state(),
            self.written.load(Ordering::SeqCst),
            self.contents()
        );
    }

    /// Whether the dashboard still runs, for a failure's message: a screen
    /// that stopped changing may be a process that is gone.
    fn state(&self) -> String {
        let pid = self.pid();
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            // The field after the command's name: R running, S sleeping,
            // T stopped, Z exited.
            Ok(stat) => match stat.rsplit_once(')') {
                Some((_, rest)) => format!(
                    "process {pid} state {}",
                    rest.trim_start().split(' ').next().unwrap_or("?")
                ),
                None => format!("process {pid}"),
            },
            Err(_) => format!("process {pid} gone"),
        }
    }

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str, timeout: Duration) {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if !self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{text:?} still on screen after {timeout:?}:\n{}",
            self.contents()
        );
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to pty");
        self.writer.flush().expect("flush pty");
        // One key at a time, as a person types: each gets its own read.
        std::thread::sleep(Duration::from_millis(30));
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let mut buf = [0u8; 4];
            self.send(c.encode_utf8(&mut buf).as_bytes());
        }
    }

    /// The screen takes the new size first, and keeps the reader out until
    /// the terminal has it too: a frame drawn for the new size never lands on
    /// a screen of the old one.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        let mut parser = self.screen.lock().expect("the screen");
        parser.set_size(lines(rows), lines(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
        drop(parser);
    }

    pub fn quit(mut self) {
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
