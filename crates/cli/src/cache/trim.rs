//! Keeps the cache bounded. After each new entry, if the entries together
//! exceed the [`Limits`], the least recently used are removed (a hit marks
//! its entry used by setting its modification time) until they fit in
//! three quarters of the limits, so that the directory is listed and
//! trimmed once per many new entries rather than on each.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How much the cache may hold.
pub struct Limits {
    pub bytes: u64,
    pub entries: usize,
}

/// 1 GiB, wasmtime's default for its compile cache, and 10,000 entries
/// (validation markers are empty, so their number is what counts).
pub const LIMITS: Limits = Limits {
    bytes: 1 << 30,
    entries: 10_000,
};

/// A temporary file this old was left by a run that died while writing.
const ABANDONED_AFTER: Duration = Duration::from_secs(3600);

/// Removes the least recently used entries of `dir` if they exceed
/// `limits`, and temporary files abandoned there. Failures are ignored.
pub fn trim(dir: &Path, limits: &Limits) {
    let Ok(listing) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    let mut entries: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
    for item in listing.flatten() {
        let (path, Ok(meta)) = (item.path(), item.metadata()) else {
            continue;
        };
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let name = item.file_name();
        let name = name.to_string_lossy();
        if !meta.is_file() {
            continue;
        }
        if name.ends_with(".aot") || name.ends_with(".valid") {
            entries.push((modified, meta.len(), path));
        } else if name.contains(".tmp.") && now.duration_since(modified).is_ok_and(|age| age > ABANDONED_AFTER) {
            let _ = std::fs::remove_file(path);
        }
    }
    let mut bytes: u64 = entries.iter().map(|e| e.1).sum();
    let mut count = entries.len();
    if bytes <= limits.bytes && count <= limits.entries {
        return;
    }
    entries.sort();
    for (_, len, path) in entries {
        if bytes <= limits.bytes / 4 * 3 && count <= limits.entries / 4 * 3 {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            bytes -= len;
            count -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mote-trim-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// `name` with `size` bytes, last used `age_secs` ago.
    fn entry(dir: &Path, name: &str, size: usize, age_secs: u64) {
        let path = dir.join(name);
        std::fs::write(&path, vec![0; size]).unwrap();
        let when = SystemTime::now() - Duration::from_secs(age_secs);
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_least_recently_used_go_first_down_to_three_quarters() {
        let dir = scratch("bytes");
        for (i, age) in [50, 10, 40, 20, 30].into_iter().enumerate() {
            entry(&dir, &format!("{i}.aot"), 100, age);
        }
        entry(&dir, "notes.txt", 1000, 100);
        trim(
            &dir,
            &Limits {
                bytes: 500,
                entries: 10,
            },
        );
        assert_eq!(names(&dir).len(), 6, "within the limits nothing goes");
        trim(
            &dir,
            &Limits {
                bytes: 400,
                entries: 10,
            },
        );
        // 500 bytes > 400: down to 300, the three used last.
        assert_eq!(names(&dir), ["1.aot", "3.aot", "4.aot", "notes.txt"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn markers_count_by_number_and_abandoned_temporaries_go() {
        let dir = scratch("count");
        for i in 0..9 {
            entry(&dir, &format!("{i}.valid"), 0, 100 - i);
        }
        entry(&dir, "x.tmp.1.2", 10, 7200);
        entry(&dir, "y.tmp.1.3", 10, 1);
        trim(
            &dir,
            &Limits {
                bytes: 1 << 20,
                entries: 8,
            },
        );
        // 9 > 8 markers: down to 6, the newest.
        assert_eq!(
            names(&dir),
            [
                "3.valid",
                "4.valid",
                "5.valid",
                "6.valid",
                "7.valid",
                "8.valid",
                "y.tmp.1.3"
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
