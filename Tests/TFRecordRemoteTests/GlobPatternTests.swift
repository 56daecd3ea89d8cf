import Testing

@testable import TFRecordRemote

/// Object-key globs match as `glob(3)` matches a path: `*` and `?` never cross a `/`.
@Suite struct GlobPatternTests {
    @Test(arguments: [
        ("train-*", "train-00000-of-00004", true),
        ("train-*", "train-", true),
        ("train-*", "dir/train-0", false),
        ("d/train-*", "d/train-0/x", false),
        ("*.tfrecord", "a.tfrecord", true),
        ("*.tfrecord", "a.tfrecord.tfindex", false),
        ("part-0000[0-2]", "part-00002", true),
        ("part-0000[0-2]", "part-00003", false),
        ("part-0000[!0-2]", "part-00003", true),
        ("part-0000[^0-2]", "part-00001", false),
        ("a?c", "abc", true),
        ("a?c", "a/c", false),
        ("a\\*c", "a*c", true),
        ("a\\*c", "abc", false),
        ("[abc", "[abc", true),
        ("*a*b", "xaxxbxb", true),
        ("*a*b", "xaxxbx", false),
    ])
    func matches(_ pattern: String, _ name: String, _ expected: Bool) {
        #expect(GlobPattern(pattern).matches(name) == expected, "\(pattern) vs \(name)")
    }

    @Test func theListedPrefixIsTheTextBeforeTheFirstPatternCharacter() {
        #expect(GlobPattern.literalPrefix("d/train-*-of-*") == "d/train-")
        #expect(GlobPattern.literalPrefix("d/part-000[0-2]") == "d/part-000")
        #expect(GlobPattern.isPattern("d/x?") && !GlobPattern.isPattern("d/x"))
    }
}
