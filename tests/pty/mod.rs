//! The real binary in a pseudo-terminal, typed at like a person: shared by
//! the end-to-end tests and the fault suite.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{ErrorKind, Read, Write};
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
    /// What the terminal reader knows, for a failure's message.
    reading: Arc<Mutex<Reading>>,
    /// The last keys sent, with when: a failure shows what was typed.
    sent: VecDeque<(Duration, String)>,
    started: Instant,
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
        let reading = Arc::new(Mutex::new(Reading {
            last: Instant::now(),
            ended: None,
        }));
        let news = Arc::clone(&reading);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            let ended = loop {
                match reader.read(&mut buf) {
                    Ok(0) => break "end of output".to_string(),
                    Ok(n) => {
                        if let Ok(mut parser) = sink.lock() {
                            parser.process(&buf[..n]);
                        }
                        counter.fetch_add(n, Ordering::SeqCst);
                        if let Ok(mut r) = news.lock() {
                            r.last = Instant::now();
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(e) => break e.to_string(),
                }
            };
            if let Ok(mut r) = news.lock() {
                r.ended = Some(ended);
            }
        });
        Session {
            screen,
            writer,
            child,
            written,
            reading,
            sent: VecDeque::new(),
            started: Instant::now(),
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
            "{text:?} not on screen after {timeout:?} ({}):\n{}{}",
            self.diagnosis(),
            self.contents(),
            self.backtraces()
        );
    }

    /// Where each of the dashboard's threads is, by gdb where there is one:
    /// a dashboard that runs and draws but does not answer a key shows here
    /// what it is doing instead.
    pub fn backtraces(&self) -> String {
        let pid = self.pid().to_string();
        let out = std::process::Command::new("timeout")
            .args([
                "30",
                "gdb",
                "-p",
                &pid,
                "-batch",
                "-nx",
                "-ex",
                "thread apply all bt 25",
            ])
            .stdin(std::process::Stdio::null())
            .output();
        match out {
            Ok(out) if out.status.success() => {
                let text = String::from_utf8_lossy(&out.stdout);
                let frames: Vec<&str> = text
                    .lines()
                    .filter(|l| l.starts_with('#') || l.starts_with("Thread "))
                    .collect();
                format!("\nthe dashboard's threads:\n{}\n", frames.join("\n"))
            }
            _ => String::new(),
        }
    }

    /// Whether the dashboard still runs and draws, and what was typed last:
    /// a screen that stopped changing may be a process that is gone, stuck,
    /// or a key that never arrived.
    pub fn diagnosis(&self) -> String {
        let (quiet, ended) = self
            .reading
            .lock()
            .map(|r| (r.last.elapsed(), r.ended.clone()))
            .unwrap_or((Duration::ZERO, None));
        let keys: Vec<String> = self
            .sent
            .iter()
            .map(|(at, key)| format!("{:.2}s {key}", at.as_secs_f64()))
            .collect();
        format!(
            "{}; {} bytes written, the last {quiet:?} ago{}; {}; at {:.2}s, the last keys: {}",
            self.state(),
            self.written.load(Ordering::SeqCst),
            ended
                .map(|e| format!(", reading ended: {e}"))
                .unwrap_or_default(),
            self.terminal_modes(),
            self.started.elapsed().as_secs_f64(),
            keys.join(", ")
        )
    }

    /// Whether the dashboard's terminal is still raw, and how many typed
    /// bytes wait in it unread: a key that never arrives is either.
    fn terminal_modes(&self) -> String {
        let Some(tty) = self.master.tty_name() else {
            return "terminal unknown".into();
        };
        let tty = tty.to_string_lossy().into_owned();
        let run = |program: &str, args: &[&str]| {
            std::process::Command::new(program)
                .args(args)
                .stdin(std::process::Stdio::null())
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        };
        let modes = run("stty", &["-F", &tty, "-a"])
            .map(|all| {
                all.split([' ', ';', '\n'])
                    .filter(|w| matches!(w.trim_start_matches('-'), "icanon" | "isig" | "icrnl"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_else(|| "modes unread".into());
        let queued = run(
            "python3",
            &[
                "-c",
                "import fcntl,os,struct,sys,termios\n\
                 fd=os.open(sys.argv[1],os.O_RDONLY|os.O_NOCTTY|os.O_NONBLOCK)\n\
                 print(struct.unpack('i',fcntl.ioctl(fd,termios.FIONREAD,bytes(4)))[0])",
                &tty,
            ],
        )
        .map(|n| n.trim().to_string())
        .unwrap_or_else(|| "?".into());
        format!("terminal {tty}: {modes}, {queued} bytes typed and unread")
    }

    /// The state of each of the dashboard's threads, and where the kernel
    /// has it waiting.
    fn state(&self) -> String {
        let pid = self.pid();
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return format!("process {pid} gone");
        };
        let mut threads: Vec<String> = tasks
            .flatten()
            .map(|task| {
                let path = task.path();
                let stat = std::fs::read_to_string(path.join("stat")).unwrap_or_default();
                // The field after the command's name: R running, S sleeping,
                // D in the disk, T stopped, Z exited.
                let state = stat
                    .rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().next().map(str::to_string))
                    .unwrap_or_else(|| "?".into());
                let wchan = std::fs::read_to_string(path.join("wchan")).unwrap_or_default();
                format!("{state} {wchan}")
            })
            .collect();
        threads.sort();
        format!("process {pid} threads [{}]", threads.join(", "))
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
            "{text:?} still on screen after {timeout:?} ({}):\n{}",
            self.diagnosis(),
            self.contents()
        );
    }

    pub fn send(&mut self, bytes: &[u8]) {
        if self.sent.len() == 24 {
            self.sent.pop_front();
        }
        self.sent.push_back((
            self.started.elapsed(),
            format!("{:?}", String::from_utf8_lossy(bytes)),
        ));
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

/// What the thread reading the terminal last saw.
struct Reading {
    last: Instant,
    ended: Option<String>,
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}
