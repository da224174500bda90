/// Python's `repr(float)`, which `json.dumps` uses for reals (`repr`) and a cell's value
/// shows (`pythonRepr`).
///
/// Both Swift's `description` and Python's repr produce the shortest digit string that
/// round-trips; they differ in layout. Python writes fixed notation when the decimal
/// exponent is in -4 ..< 16 (`0.0001`, `1e-05`, `1000000000000000.0`, `1e+16`), always
/// keeps a `.0` on integral values, and pads exponents to two digits (`2e-07`).
public enum PythonFloat {
    /// Python's `repr(x)`: as `repr`, but `nan`, `inf` and `-inf` as Python writes them.
    public static func pythonRepr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return repr(value)
    }

    /// `json.dumps`'s form: Python's `repr`, with `NaN`, `Infinity` and `-Infinity`.
    public static func repr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let (negative, digits, pointPosition) = decompose(value)
        var result = negative ? "-" : ""
        // pointPosition: value = 0.d1d2d3... x 10^pointPosition
        if pointPosition > -4 && pointPosition <= 16 {
            if pointPosition <= 0 {
                result += "0." + String(repeating: "0", count: -pointPosition) + digits
            } else if pointPosition >= digits.count {
                result += digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
            } else {
                let split = digits.index(digits.startIndex, offsetBy: pointPosition)
                result += digits[..<split] + "." + digits[split...]
            }
        } else {
            let exponent = pointPosition - 1
            result += String(digits.prefix(1))
            if digits.count > 1 { result += "." + digits.dropFirst() }
            let magnitude = String(abs(exponent))
            result += (exponent < 0 ? "e-" : "e+") + (magnitude.count < 2 ? "0" : "") + magnitude
        }
        return result
    }

    /// Splits Swift's shortest round-trip rendering into sign, significant digits (no
    /// leading or trailing zeros) and the decimal point's position.
    private static func decompose(_ value: Double) -> (Bool, String, Int) {
        let text = String(describing: value.magnitude)
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let integerPart = mantissa.prefix { $0 != "." }
        let fractionPart = mantissa.drop { $0 != "." }.dropFirst()
        var digits = String(integerPart) + String(fractionPart)
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (value.sign == .minus, digits, pointPosition)
    }
}
