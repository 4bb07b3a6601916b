//! The known-failure list: `tests/spec-skips.toml`, the one place where the harness is told
//! not to run a script or a directive, each time with a reason.
//!
//! ```toml
//! [[skip]]
//! file = "array.wast"              # relative to the testsuite root
//! reason = "GC proposal not implemented yet"
//!
//! [[skip]]
//! file = "float_exprs.wast"
//! line = 120                       # only the directive starting on this line
//! reason = "..."
//!
//! [[skip]]
//! file = "struct.wast"
//! mode = "jit"                     # only on this back end
//! reason = "..."
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use toml::{Table, Value};

use crate::{Error, Mode};

/// One known failure: a whole file, or the directive that starts on `line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkipEntry {
    /// The script's path relative to the testsuite root, e.g. `array.wast`.
    pub file: PathBuf,
    /// The 1-based line of the skipped directive; `None` skips the whole file.
    pub line: Option<usize>,
    /// The back end the failure is known on; `None` for every back end. A
    /// `jit` entry also holds for `aot`, which runs the same machine code.
    pub mode: Option<Mode>,
    /// Why it is skipped.
    pub reason: String,
}

/// The list of known failures, with the testsuite root its paths are relative to.
#[derive(Debug, Clone, Default)]
pub struct SkipList {
    root: Option<PathBuf>,
    entries: Vec<SkipEntry>,
}

impl SkipList {
    /// The skip list's place in the repository: `<repo>/tests/spec-skips.toml`.
    pub fn default_path() -> PathBuf {
        crate::repo_root().join("tests").join("spec-skips.toml")
    }

    /// Reads the list at `path`; its entries are relative to `testsuite_root` (a script outside
    /// that folder matches an entry whose path is a suffix of the script's path).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if the file cannot be read, [`Error::BadSkipList`] if it is not a valid list.
    pub fn load(path: &Path, testsuite_root: Option<&Path>) -> Result<Self, Error> {
        let text = fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let entries = parse(&text).map_err(|message| Error::BadSkipList {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(SkipList {
            root: testsuite_root.map(canonical),
            entries,
        })
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[SkipEntry] {
        &self.entries
    }

    /// The reason `script` is skipped as a whole on `mode`, if it is.
    pub fn file_reason(&self, script: &Path, mode: Mode) -> Option<&str> {
        self.matching(script, mode)
            .find(|entry| entry.line.is_none())
            .map(|entry| entry.reason.as_str())
    }

    /// The reason the directive of `script` starting on `line` is skipped on
    /// `mode`, if it is.
    pub fn line_reason(&self, script: &Path, line: usize, mode: Mode) -> Option<&str> {
        self.matching(script, mode)
            .find(|entry| entry.line == Some(line))
            .map(|entry| entry.reason.as_str())
    }

    fn matching(&self, script: &Path, mode: Mode) -> impl Iterator<Item = &SkipEntry> {
        let script = canonical(script);
        let relative = self
            .root
            .as_deref()
            .and_then(|root| script.strip_prefix(root).ok())
            .map(Path::to_path_buf);
        self.entries.iter().filter(move |entry| {
            entry
                .mode
                .is_none_or(|m| m == mode || (m == Mode::Jit && mode == Mode::Aot))
                && match &relative {
                    Some(relative) => *relative == entry.file,
                    None => script.ends_with(&entry.file),
                }
        })
    }
}

fn canonical(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Parses the `[[skip]]` array of tables.
fn parse(text: &str) -> Result<Vec<SkipEntry>, String> {
    let table: Table = text.parse().map_err(|err: toml::de::Error| err.to_string())?;
    let Some(skips) = table.get("skip") else {
        return Ok(Vec::new());
    };
    let Value::Array(skips) = skips else {
        return Err("`skip` must be an array of tables (`[[skip]]`)".to_owned());
    };
    skips
        .iter()
        .enumerate()
        .map(|(i, skip)| parse_entry(skip).map_err(|msg| format!("skip entry {}: {msg}", i + 1)))
        .collect()
}

fn parse_entry(skip: &Value) -> Result<SkipEntry, String> {
    let Value::Table(skip) = skip else {
        return Err("not a table".to_owned());
    };
    if let Some(key) = skip
        .keys()
        .find(|key| !["file", "line", "mode", "reason"].contains(&key.as_str()))
    {
        return Err(format!("unknown key `{key}`"));
    }
    let string = |key: &str| match skip.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        _ => Err(format!("`{key}` must be a non-empty string")),
    };
    let line = match skip.get("line") {
        None => None,
        Some(Value::Integer(line)) if *line > 0 => Some(*line as usize),
        Some(_) => return Err("`line` must be a positive integer".to_owned()),
    };
    let mode = match skip.get("mode") {
        None => None,
        Some(_) => Some(string("mode")?.parse::<Mode>().map_err(|e| e.to_string())?),
    };
    Ok(SkipEntry {
        file: PathBuf::from(string("file")?),
        line,
        mode,
        reason: string("reason")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_file_and_line_entries() {
        let entries = parse(
            "[[skip]]\nfile = \"a.wast\"\nreason = \"r1\"\n\n\
             [[skip]]\nfile = \"b.wast\"\nline = 7\nreason = \"r2\"\n",
        )
        .unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].line, None);
        assert_eq!(entries[1].line, Some(7));
        assert_eq!(entries[1].reason, "r2");
    }

    #[test]
    fn rejects_missing_reason_and_unknown_keys() {
        assert!(parse("[[skip]]\nfile = \"a.wast\"\n").is_err());
        assert!(parse("[[skip]]\nfile = \"a.wast\"\nreason = \"r\"\nwhy = 1\n").is_err());
    }

    #[test]
    fn matches_by_suffix_outside_the_root() {
        let list = SkipList {
            root: None,
            entries: parse("[[skip]]\nfile = \"a.wast\"\nline = 3\nreason = \"r\"\n").unwrap(),
        };
        let script = Path::new("/nowhere/suite/a.wast");
        assert_eq!(list.line_reason(script, 3, Mode::Interp), Some("r"));
        assert_eq!(list.line_reason(script, 4, Mode::Interp), None);
        assert_eq!(list.file_reason(script, Mode::Interp), None);
    }

    #[test]
    fn an_entry_with_a_mode_skips_only_on_that_back_end() {
        let list = SkipList {
            root: None,
            entries: parse("[[skip]]\nfile = \"a.wast\"\nmode = \"jit\"\nreason = \"r\"\n").unwrap(),
        };
        let script = Path::new("/nowhere/suite/a.wast");
        assert_eq!(list.file_reason(script, Mode::Jit), Some("r"));
        assert_eq!(list.file_reason(script, Mode::Aot), Some("r"));
        assert_eq!(list.file_reason(script, Mode::Interp), None);
        assert!(parse("[[skip]]\nfile = \"a.wast\"\nmode = \"fast\"\nreason = \"r\"\n").is_err());
    }
}
