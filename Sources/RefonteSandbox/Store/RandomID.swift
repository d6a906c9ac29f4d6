/// Random hexadecimal ids, the shape of the hosted API's ids (24 hex digits).
enum RandomID {
    static func make(length: Int = 24) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(length)
        var bits: UInt64 = 0
        var available = 0
        for _ in 0..<length {
            if available == 0 {
                bits = generator.next()
                available = 16
            }
            out.append(digits[Int(bits & 0xF)])
            bits >>= 4
            available -= 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A new API key: the mode prefix, then 32 random hex digits.
    static func apiKey(mode: Tenant.Mode) -> String {
        "\(mode.rawValue)_\(make(length: 32))"
    }
}
