//! The dashboard's first frames of the next days: the pyramid counted from
//! a complete load's facts and kept in the store (`store::frames`), so that
//! the next window on a store nobody changed since draws its day's pyramid
//! without reading every order.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread;

use chrono::{DateTime, Duration, Local, Offset, TimeZone, Utc};
use sha2::{Digest, Sha256};

use crate::analytics::{self, PyramidConfig};
use crate::config::Config;
use crate::store::{KeptFrame, Store};

use super::data::DashboardData;

/// How many days of first frames a load keeps: from its day, a week of
/// opens (Friday's serves Monday's) while nothing changes the store.
pub const FRAME_DAYS: u32 = 7;

/// The first frames of the next [`FRAME_DAYS`] days, counted from a
/// complete load's facts by a thread of the lowest priority (0.11-0.14 s of
/// one core at 100,000 customers, 1.5 s at a million) and kept in the store
/// by the loop, on its own connection.
#[derive(Debug)]
pub struct Frames {
    counted: Receiver<Vec<KeptFrame>>,
    mark: i64,
    setting: String,
}

impl Frames {
    /// Starts counting; `None` for data whose figures hold at no mark of
    /// the change log (another write came during its load).
    pub fn start(data: &DashboardData, config: &Config) -> Option<Frames> {
        let mark = data.kept.as_ref()?.holds_at?;
        let facts = Arc::clone(&data.facts);
        let (as_of, pyramid) = (data.as_of, config.pyramid);
        let (send, counted) = mpsc::channel();
        thread::spawn(move || {
            lowest_priority();
            let frames = analytics::pyramid_frames(&facts, as_of, FRAME_DAYS, &pyramid)
                .into_iter()
                .map(|(as_of, counts)| KeptFrame {
                    as_of,
                    now: counts.now,
                    week_ago: counts.week_ago,
                })
                .collect();
            let _ = send.send(frames);
        });
        Some(Frames {
            counted,
            mark,
            setting: setting(&config.pyramid),
        })
    }

    /// Keeps the frames in `store` once counted; whether the work is over.
    /// Not kept after a change of the store since their mark, nor on a
    /// store that has not passed its check for damage: they are a faster
    /// first frame, and a failure to keep them costs only that.
    pub fn poll(&self, store: &mut Store) -> bool {
        match self.counted.try_recv() {
            Ok(frames) => {
                if store.is_known_sound() {
                    let _ = store.save_pyramid_frames(self.mark, &self.setting, &frames);
                }
                true
            }
            Err(TryRecvError::Empty) => false,
            Err(TryRecvError::Disconnected) => true,
        }
    }

    /// The frames hold at `mark` now: the loop wrote what changes no
    /// pyramid (the rules' follow-ups) since their load.
    pub fn hold_at(&mut self, mark: i64) {
        self.mark = mark;
    }

    /// Waits for the count and keeps it (benchmarks and tests).
    pub fn wait(self, store: &mut Store) {
        while !self.poll(store) {
            thread::sleep(std::time::Duration::from_millis(2));
        }
    }
}

/// Work nobody waits for yields the cores to everything else: the
/// thread's nice value (per thread on Linux) at its highest.
fn lowest_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread's own id.
    unsafe {
        let thread = libc::syscall(libc::SYS_gettid);
        if let Ok(thread) = libc::id_t::try_from(thread) {
            libc::setpriority(libc::PRIO_PROCESS, thread, 19);
        }
    }
}

/// What the counts depend on beside the store: the pyramid's settings, and
/// the local time zone's offsets, which decide the local day a customer was
/// created on. The zone is told by its offset at noon UTC of every day from
/// 1990 to 2050, where its transitions fall, hashed.
pub fn setting(config: &PyramidConfig) -> String {
    let mut zone = Sha256::new();
    let start = Utc.with_ymd_and_hms(1990, 1, 1, 12, 0, 0).single();
    let mut last = None;
    for day in 0..(60 * 366) {
        let Some(instant) = start.map(|s| s + Duration::days(day)) else {
            break;
        };
        let offset = offset_at(instant);
        if last != Some(offset) {
            zone.update(day.to_le_bytes());
            zone.update(offset.to_le_bytes());
            last = Some(offset);
        }
    }
    let zone = zone.finalize();
    let zone: String = zone[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "window {} share {:?} zone {zone}",
        config.active_window_days, config.key_customer_share
    )
}

fn offset_at(instant: DateTime<Utc>) -> i32 {
    Local
        .from_utc_datetime(&instant.naive_utc())
        .offset()
        .fix()
        .local_minus_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The setting names the pyramid's numbers; equal settings, equal names.
    #[test]
    fn the_setting_names_the_pyramids_numbers() {
        let default = PyramidConfig::default();
        let narrow = PyramidConfig {
            active_window_days: 30,
            ..default
        };
        let shared = PyramidConfig {
            key_customer_share: 0.25,
            ..default
        };
        assert_eq!(setting(&default), setting(&default));
        assert_ne!(setting(&default), setting(&narrow));
        assert_ne!(setting(&default), setting(&shared));
        assert!(setting(&default).starts_with("window 365 share 0.2 zone "));
    }
}
