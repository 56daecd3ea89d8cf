import TFRecord
import TFRecordExample
/// A one-line progress display on stderr: shown only when stderr is a terminal and not
/// `--quiet`; redrawn at most ten times a second; records/s, and percent and ETA when the total
/// is known.
final class Progress {
    private let label: String
    private let enabled: Bool
    private let total: Double?
    private let start = Clock.now()
    private var lastDraw = 0.0
    private var drawn = false

    /// - Parameters:
    ///   - label: what is being done ("verify", "import").
    ///   - total: the amount (bytes or records) that means 100%, when known.
    ///   - quiet: the user asked for no progress.
    init(_ label: String, total: Double? = nil, quiet: Bool) {
        self.label = label
        self.total = total
        enabled = !quiet && SystemCalls.isTerminal(2)
    }

    /// Redraws with `records` done and `done` of `total`.
    func update(records: Int, done: Double? = nil) {
        guard enabled else { return }
        let now = Clock.now()
        guard now - lastDraw >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now - start, 1e-9)
        var text = "\r\(label): \(records) records, \(Int(Double(records) / elapsed)) records/s"
        if let total, let done, total > 0 {
            let fraction = min(1, done / total)
            let width = 20
            let filled = Int(fraction * Double(width))
            text += " [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
            text += " \(Int(fraction * 100))%"
            if fraction > 0 { text += ", ETA \(Int(elapsed / fraction - elapsed))s" }
        }
        write(text + "\u{1B}[K")
        drawn = true
    }

    /// Clears the line.
    func finish() {
        guard enabled, drawn else { return }
        write("\r\u{1B}[K")
    }

    private func write(_ text: String) {
        try? Output.diagnostics.write(text)
    }
}
