//! Finding scripts: the testsuite folder and the `.wast` files under the paths a user gives.

use std::fs;
use std::path::{Path, PathBuf};

use crate::Error;

/// The environment variable that points the harness at a testsuite folder.
pub const TESTSUITE_ENV: &str = "MOTE_TESTSUITE";

/// The root of the Mote repository this crate was built from.
pub fn repo_root() -> PathBuf {
    // This crate lives in `<repo>/crates/wast`.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Locates the spec testsuite: the folder named by `MOTE_TESTSUITE` if set, else
/// `<repo>/tests/testsuite` if it holds `.wast` files, else `<repo>/../shared/testsuite` if it
/// exists.
pub fn find_testsuite() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(TESTSUITE_ENV).filter(|dir| !dir.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let root = repo_root();
    let vendored = root.join("tests").join("testsuite");
    if holds_wast_files(&vendored) {
        return Some(vendored);
    }
    let shared = root.join("..").join("shared").join("testsuite");
    shared.is_dir().then_some(shared)
}

/// Whether `dir` directly contains at least one `.wast` file.
fn holds_wast_files(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| entries.filter_map(Result::ok).any(|entry| is_wast(&entry.path())))
}

/// The `.wast` files named by `paths`: files as given, directories searched recursively.
/// Each directory's files come out sorted; the paths keep their given order.
///
/// # Errors
///
/// [`Error::NotFound`] for a path that does not exist, [`Error::Io`] for a directory that
/// cannot be listed.
pub fn collect_wast_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(Error::NotFound(path.clone()));
        }
    }
    Ok(files)
}

/// The `.wast` files directly inside `dir` (not its sub-folders), sorted.
///
/// # Errors
///
/// [`Error::Io`] if `dir` cannot be listed.
pub fn top_level_wast_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut files: Vec<PathBuf> = read_dir(dir)?.into_iter().filter(|path| is_wast(path)).collect();
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), Error> {
    for path in read_dir(dir)? {
        if path.is_dir() {
            walk(&path, found)?;
        } else if is_wast(&path) {
            found.push(path);
        }
    }
    Ok(())
}

fn read_dir(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io_error = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    fs::read_dir(dir)
        .map_err(io_error)?
        .map(|entry| entry.map(|entry| entry.path()).map_err(io_error))
        .collect()
}

fn is_wast(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "wast") && path.is_file()
}
