#[test]
fn where_am_i() {
    let exe = std::env::current_exe().unwrap();
    let deps = exe.parent().unwrap();
    for e in std::fs::read_dir(deps).unwrap() {
        let p = e.unwrap().path();
        let s = p.display().to_string();
        if s.contains("libmote") {
            println!("{s}");
        }
    }
    for e in std::fs::read_dir(deps.parent().unwrap()).unwrap() {
        let p = e.unwrap().path();
        let s = p.display().to_string();
        if s.contains("libmote") {
            println!("{s}");
        }
    }
}
