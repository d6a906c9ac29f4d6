import Testing

@testable import RefonteAPI

/// A small deterministic generator, so that a failing case can be replayed from its seed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func randomString(_ rng: inout SplitMix64) -> String {
    let pool: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "€", "😀",
        "\u{FFFF}",
    ]
    var s = ""
    for _ in 0..<Int.random(in: 0...8, using: &rng) {
        s.unicodeScalars.append(pool.randomElement(using: &rng)!)
    }
    return s
}

private func randomValue(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
    switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2:
        let edge: [Int64] = [0, -1, .max, .min, 1 << 53, -(1 << 53) - 1]
        return .integer(
            Bool.random(using: &rng)
                ? edge.randomElement(using: &rng)! : Int64.random(in: -1000...1000, using: &rng)
        )
    case 3:
        let edge: [Double] = [
            0.5, -0.0, 1e-300, 1.7976931348623157e308, .leastNonzeroMagnitude, 0.1, 1e16, 123456.789,
        ]
        return .double(
            Bool.random(using: &rng)
                ? edge.randomElement(using: &rng)! : Double.random(in: -1e6...1e6, using: &rng)
        )
    case 4: return .string(randomString(&rng))
    case 5:
        return .array(
            (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) }
        )
    default:
        var members: [String: JSONValue] = [:]
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            members[randomString(&rng)] = randomValue(&rng, depth: depth + 1)
        }
        return .object(members)
    }
}

@Suite struct JSONTests {
    @Test(arguments: 0..<20)
    func roundTripsRandomValues(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        for _ in 0..<100 {
            let value = randomValue(&rng, depth: 0)
            let text = value.encoded()
            #expect(try JSONValue.parse(text) == value, "\(String(decoding: text, as: UTF8.self))")
            #expect(try JSONValue.parse(value.encodedPretty()) == value)
            // Same value, same bytes.
            #expect(try JSONValue.parse(text).encoded() == text)
        }
    }

    @Test func keepsIntegersApartFromDoubles() throws {
        #expect(try JSONValue.parse("5") == .integer(5))
        #expect(try JSONValue.parse("5.0") == .double(5))
        #expect(try JSONValue.parse("5e0") == .double(5))
        #expect(try JSONValue.parse("-0") == .integer(0))
        #expect(try JSONValue.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(JSONValue.double(5).jsonText == "5.0")
        #expect(JSONValue.integer(5).jsonText == "5")
        #expect(JSONValue.double(.nan).jsonText == "null")
    }

    @Test func escapesAndSortsKeys() throws {
        let value: JSONValue = .object(["b": .string("q\"\\\n\u{1}é"), "a": .array([.null, true])])
        #expect(value.jsonText == #"{"a":[null,true],"b":"q\"\\\n\u0001é"}"#)
        #expect(try JSONValue.parse(#""\u00e9\ud83d\ude00\/""#) == .string("é😀/"))
    }

    @Test func reportsTheByteOffset() {
        let cases: [(String, Int, String)] = [
            ("", 0, "unexpected end of input, expected a value"),
            ("{\"a\" 1}", 5, "unexpected '1', expected ':'"),
            ("[1,]", 3, "unexpected ']', expected a value"),
            ("01", 1, "leading zero in number"),
            ("\"abc", 0, "unterminated string"),
            ("\"a\u{1}\"", 2, "unescaped control character in string"),
            ("\"\\ud800\"", 1, "unpaired surrogate in \\u escape"),
            ("tru", 0, "invalid literal, expected 'true'"),
            ("1e999", 0, "number out of range"),
            ("[1] x", 4, "unexpected 'x' after the JSON value"),
        ]
        for (text, offset, reason) in cases {
            #expect(throws: JSONParseError(offset: offset, reason: reason), "\(text)") {
                try JSONValue.parse(text)
            }
        }
        #expect(throws: JSONParseError(offset: 1, reason: "string is not valid UTF-8")) {
            try JSONValue.parse([0x5B, 0x22, 0xFF, 0x22, 0x5D])
        }
        #expect(throws: JSONParseError(offset: 3, reason: "nested deeper than 3 levels")) {
            try JSONValue.parse("[[[[]]]]", maxDepth: 3)
        }
    }

    @Test func dateTimes() {
        for good in ["2024-01-31T09:00:00Z", "2024-02-29t23:59:60.123+05:30", "2000-12-31T00:00:00-00:00"] {
            #expect(DateTime.isValid(good), "\(good)")
        }
        for bad in [
            "2024-01-31", "2023-02-29T00:00:00Z", "2024-01-31T24:00:00Z", "2024-01-31T09:00:00",
            "2024-1-31T09:00:00Z", "2024-01-31T09:00:00.Z", "2024-01-31 09:00:00Z",
        ] {
            #expect(!DateTime.isValid(bad), "\(bad)")
        }
    }

    @Test func suggestions() {
        #expect(Suggestion.closest(to: "emale", in: ["emails", "role"]) == "emails")
        #expect(Suggestion.closest(to: "rloe", in: ["emails", "role"]) == "role")
        #expect(Suggestion.closest(to: "xyz", in: ["emails", "role"]) == nil)
    }
}
