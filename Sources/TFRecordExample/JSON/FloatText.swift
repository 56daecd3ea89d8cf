import TFRecord
// The C library's number formatting and memcmp (no system calls: those are in SystemCalls).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// Float formatting as protobuf's Python `json_format` writes floats: the shortest `%.{6...9}g`
/// text that reads back as the same float32 (`type_checkers.ToShortestFloat`), printed as
/// Python's `repr` of that double (`json.dumps`).
enum FloatText {
    /// `value` as protobuf JSON writes it: a number, or `"NaN"` / `"Infinity"` / `"-Infinity"`
    /// (with the quotes).
    static func json(_ value: Float) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value < 0 ? "\"-Infinity\"" : "\"Infinity\"" }
        return pythonRepr(shortestDouble(value))
    }

    /// The double of the shortest `%.Ng` text (N from 6) that rounds back to `value`.
    static func shortestDouble(_ value: Float) -> Double {
        let original = Double(value)
        var precision: Int32 = 6
        while true {
            let rounded = formatG(original, precision)
            if Float(rounded).bitPattern == value.bitPattern || precision >= 17 { return rounded }
            precision += 1
        }
    }

    /// `%.{precision}g` of `value`, read back as a double (both correctly rounded).
    static func formatG(_ value: Double, _ precision: Int32) -> Double {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = buffer.withUnsafeMutableBufferPointer { out in
            withVaList([precision, value]) { vsnprintf(out.baseAddress, 64, "%.*g", $0) }
        }
        return buffer.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
    }

    /// Python's `repr(float)`: shortest round-trip digits; positional notation when the decimal
    /// exponent is in -4 ..< 16 (with ".0" when integral), else `d.ddde+XX`.
    static func pythonRepr(_ value: Double) -> String {
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description has the same shortest round-trip digits; only the layout differs.
        let text = value.magnitude.description
        var digits: [UInt8] = []
        var pointIndex: Int? = nil
        var exponent = 0
        var utf8 = Array(text.utf8)
        if let e = utf8.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            exponent = Int(String(decoding: utf8[(e + 1)...], as: UTF8.self).replacingPlus())!
            utf8 = Array(utf8[..<e])
        }
        for c in utf8 {
            if c == UInt8(ascii: ".") { pointIndex = digits.count } else { digits.append(c) }
        }
        // value = 0.DIGITS * 10^decimalPoint
        var decimalPoint = (pointIndex ?? digits.count) + exponent
        while digits.first == UInt8(ascii: "0") { digits.removeFirst(); decimalPoint -= 1 }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        var out = value.sign == .minus ? "-" : ""
        let d = String(decoding: digits, as: UTF8.self)
        if decimalPoint > -4 && decimalPoint <= 16 {
            if decimalPoint <= 0 {
                out += "0." + String(repeating: "0", count: -decimalPoint) + d
            } else if decimalPoint >= digits.count {
                out += d + String(repeating: "0", count: decimalPoint - digits.count) + ".0"
            } else {
                out += String(d.prefix(decimalPoint)) + "." + String(d.dropFirst(decimalPoint))
            }
        } else {
            let e = decimalPoint - 1
            out += String(d.prefix(1))
            if digits.count > 1 { out += "." + String(d.dropFirst()) }
            out += "e" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
        }
        return out
    }
}

private extension String {
    func replacingPlus() -> String { hasPrefix("+") ? String(dropFirst()) : self }
}
