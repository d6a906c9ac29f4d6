import LuaRuntime
import RefonteScripting
import Testing

@Suite struct JSONErrorTests {
    @Test(
        arguments: [
            (#"{"a": tru}"#, "byte offset 6"),
            ("[1, 2", "byte offset 5: unexpected end of input, expected ',' or ']'"),
            ("[1,]", "byte offset 3: unexpected ']', expected a value"),
            ("01", "byte offset 1: a number cannot have a leading zero"),
            (#""\x""#, "byte offset 1: invalid escape '\\x'"),
            (#"{"a":1} x"#, "byte offset 8: unexpected data after the value"),
            (#""\ud800""#, "byte offset 7: a high surrogate must be followed"),
            ("", "byte offset 0: unexpected end of input"),
        ]
    )
    func invalidJSONNamesTheByteOffset(text: String, expected: String) async throws {
        let state = try scriptState()
        let results = try state.call(
            try state.load("return pcall(function(s) return json.decode(s) end, ...)", chunkName: "=t"),
            [.string(text)]
        )
        #expect(results.first == false)
        let message = "\(results.last ?? .nil)"
        #expect(message.contains("json.decode: invalid JSON at " + expected), "\(message)")
    }

    @Test func invalidUTF8IsRefusedBothWays() async throws {
        let state = try scriptState()
        let decode = try state.call(
            try state.load("return pcall(json.decode, ...)", chunkName: "=t"),
            [.string(LuaString(bytes: Array("\"a".utf8) + [0xFF] + Array("\"".utf8)))]
        )
        #expect("\(decode.last ?? .nil)".contains("not valid UTF-8"))
        let encode = try await evaluate(state, #"return pcall(json.encode, {name = "\255"})"#)
        #expect(encode.last == "json.encode: cannot encode $.name: the string is not valid UTF-8")
    }

    @Test(
        arguments: [
            ("function() end", "cannot encode $: a function has no JSON form"),
            ("{a = {b = 0/0}}", "cannot encode $.a.b: NaN and infinity have no JSON form"),
            (
                "(function() local t = {} t.self = t return t end)()",
                "cannot encode $.self: the table contains itself"
            ),
            ("{[true] = 1}", "cannot encode $: a JSON object key must be a string, not a boolean"),
            ("{1, 2, {x = io.stdout}}", "cannot encode $[3].x: a userdata has no JSON form"),
        ]
    )
    func valuesWithoutAJSONFormAreNamedByPath(lua: String, expected: String) async throws {
        let state = try scriptState()
        let results = try await evaluate(state, "return pcall(json.encode, \(lua))")
        #expect(results == [false, .string("json.encode: " + expected)])
    }

    @Test func prettyOutputIndents() async throws {
        let state = try scriptState()
        let results = try await evaluate(state, "return json.encode({b = {1}, a = {}}, {pretty = true})")
        #expect(results == ["{\n  \"a\": [],\n  \"b\": [\n    1\n  ]\n}"])
    }
}
