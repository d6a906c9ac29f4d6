import LuaRuntime
import RefonteScripting
import Testing

/// A JSON document built in Swift, written the way `json.encode` writes (members sorted).
indirect enum Document {
    case null
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([Document])
    case object([(String, Document)])

    var text: String {
        switch self {
        case .null: "null"
        case .boolean(let b): b ? "true" : "false"
        case .integer(let i): String(i)
        case .number(let d): "\(d)"
        case .string(let s): Self.quote(s)
        case .array(let items): "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let members):
            "{"
                + members.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
                .map { Self.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let c where c.value < 0x20 || c.value == 0x7F:
                let hex = String(c.value, radix: 16)
                out += "\\u00" + (hex.count == 1 ? "0" : "") + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func random(depth: Int, using rng: inout SplitMix64) -> Document {
        let leaf = depth >= 4 || Int.random(in: 0..<3, using: &rng) == 0
        if !leaf {
            let count = Int.random(in: 0..<5, using: &rng)
            if Bool.random(using: &rng) {
                return .array((0..<count).map { _ in random(depth: depth + 1, using: &rng) })
            }
            var names = Set<String>()
            var members: [(String, Document)] = []
            for _ in 0..<count {
                let name = randomString(using: &rng)
                if names.insert(name).inserted {
                    members.append((name, random(depth: depth + 1, using: &rng)))
                }
            }
            return .object(members)
        }
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return .null
        case 1: return .boolean(Bool.random(using: &rng))
        case 2: return .integer([Int64.max, Int64.min, 0, -1, 1 << 53 + 1].randomElement(using: &rng)!)
        case 3: return .integer(Int64.random(in: -1_000_000...1_000_000, using: &rng))
        case 4:
            return .number(
                [0.5, -2.25, 1.0, 1e300, Double.leastNonzeroMagnitude, 0.1, 123456.789].randomElement(
                    using: &rng
                )!
            )
        case 5: return .number(Double.random(in: -1e6...1e6, using: &rng))
        default: return .string(randomString(using: &rng))
        }
    }

    static func randomString(using rng: inout SplitMix64) -> String {
        let pieces = [
            "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "é", "日本", "😀", "\u{7F}", "key",
        ]
        return (0..<Int.random(in: 0..<6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
            .joined()
    }
}

@Suite struct JSONRoundTripTests {
    /// decode then encode gives the document back, byte for byte: kinds of tables, integer vs
    /// float, null, and every string survive the trip through Lua values.
    @Test func randomDocumentsSurviveARoundTrip() async throws {
        let state = try scriptState()
        let roundTrip = try state.load("return json.encode(json.decode(...))", chunkName: "=roundtrip")
        var rng = SplitMix64(state: 20_261_129)
        for _ in 0..<400 {
            let document = Document.random(depth: 0, using: &rng)
            let back = try state.call(roundTrip, [.string(document.text)])
            #expect(back == [.string(document.text)], "document: \(document.text)")
        }
    }

    /// Lists of objects reuse the previous object's member names when the bytes match; names
    /// that differ by a byte, by length, by an escape, or that are empty must still come out
    /// right.
    @Test func listsOfSimilarObjectsKeepEveryMemberName() async throws {
        let state = try scriptState()
        let roundTrip = try state.load("return json.encode(json.decode(...))", chunkName: "=roundtrip")
        let input = #"""
            [{"a":1,"b":2},{"a":3,"bb":4},{"ab":5},{"ab":6},{"":7,"a":8},{"":9},\#
            {"a":10,"b":11,"c":12},{"a":13},{"b":14,"a":15},[{"x":1}],{"a":{"a":16,"b":17}},\#
            {"a":{"a":18,"c":19}},{"é":20},{"é":21},{"ab\"":22},{"ab\\":23}]
            """#
        let expected = #"""
            [{"a":1,"b":2},{"a":3,"bb":4},{"ab":5},{"ab":6},{"":7,"a":8},{"":9},\#
            {"a":10,"b":11,"c":12},{"a":13},{"a":15,"b":14},[{"x":1}],{"a":{"a":16,"b":17}},\#
            {"a":{"a":18,"c":19}},{"é":20},{"é":21},{"ab\"":22},{"ab\\":23}]
            """#
        #expect(try state.call(roundTrip, [.string(input)]) == [.string(expected)])
    }

    /// Random lists of objects drawn from a few names (some escaped): the reuse of names
    /// across siblings never changes a value.
    @Test func randomListsOfObjectsSurviveARoundTrip() async throws {
        let state = try scriptState()
        let roundTrip = try state.load("return json.encode(json.decode(...))", chunkName: "=roundtrip")
        var rng = SplitMix64(state: 20_261_130)
        let names = ["id", "i", "idx", "name", "", "na\"me", "é", "email"]
        for _ in 0..<200 {
            let list = Document.array(
                (0..<Int.random(in: 1..<8, using: &rng)).map { _ in
                    var seen = Set<String>()
                    let members = (0..<Int.random(in: 0..<5, using: &rng)).compactMap {
                        _ -> (String, Document)? in
                        let name = names.randomElement(using: &rng)!
                        guard seen.insert(name).inserted else { return nil }
                        return (name, .integer(Int64.random(in: 0..<100, using: &rng)))
                    }
                    return .object(members)
                }
            )
            let back = try state.call(roundTrip, [.string(list.text)])
            #expect(back == [.string(list.text)], "document: \(list.text)")
        }
    }

    @Test func emptyArraysAndObjectsKeepTheirKind() async throws {
        let state = try scriptState()
        let results = try await evaluate(
            state,
            """
            local v = json.decode('{"a":[],"b":{},"c":[{}],"n":null}')
            return json.encode(v), v.n == json.null, json.encode({}), json.encode(json.object()),
              json.encode(json.array({})), tostring(json.null)
            """
        )
        #expect(results == [#"{"a":[],"b":{},"c":[{}],"n":null}"#, true, "[]", "{}", "[]", "json.null"])
    }

    @Test func integersStayIntegersAndBigOnesBecomeFloats() async throws {
        let state = try scriptState()
        let results = try await evaluate(
            state,
            """
            local v = json.decode('[9223372036854775807, -9223372036854775808, 9223372036854775808, 1.0, 2]')
            return math.type(v[1]), v[1] == math.maxinteger, math.type(v[2]), math.type(v[3]), math.type(v[4]),
              math.type(v[5]), json.encode(v)
            """
        )
        #expect(
            results == [
                "integer", true, "integer", "float", "float", "integer",
                "[9223372036854775807,-9223372036854775808,9.223372036854776e+18,1.0,2]",
            ]
        )
    }
}
