use super::{line_of, locate};

#[test]
fn lines_are_found_by_offset_and_by_key_path() {
    let text = "a = 1\n[t]\nb = 2\n[[list]]\nc = 3\n[[list]]\nc = 4\nd = { e = 5 }\n";
    assert_eq!(line_of(text, 0), 1);
    assert_eq!(line_of(text, text.find("b =").unwrap()), 3);
    assert_eq!(locate(text, "a"), Some(1));
    assert_eq!(locate(text, "t.b"), Some(3));
    assert_eq!(locate(text, "list[1].c"), Some(7));
    assert_eq!(locate(text, "list[1].d.e"), Some(8));
    // An unknown tail stops at the deepest key found.
    assert_eq!(locate(text, "t.zzz"), Some(2));
    assert_eq!(locate("not toml [", "a"), None);
}
