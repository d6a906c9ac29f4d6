import Testing

@testable import LuaRuntime

/// refonte's own chunks (the preludes) load as the bytecode their build compiled, and as their
/// source when the running liblua is another release.
struct ChunkTests {
    /// The LuaChunks plugin compiled the runtime prelude with the liblua this process runs, so
    /// every state skips compiling it.
    @Test func thePreludeIsBytecodeOfThisLiblua() {
        #expect(LuaChunk.runtime.loadsAsBytecode)
        #expect(LuaChunk.runtime.bytecode.starts(with: Array("\u{1B}Lua".utf8)))
        #expect(LuaChunk.runtime.name == "=refonte runtime")
    }

    /// The source is never read on this path (it is not even Lua here), and the bytecode keeps
    /// the chunk's lines: an error names the line in the chunk, as compiling the source would.
    @Test func bytecodeRunsWithTheLinesOfItsSource() async throws {
        let state = try LuaState()
        let dumped = try state.call(
            try state.load(
                "return string.dump(load('local x = 1\\nerror(\"boom\")', '=probe'))",
                chunkName: "=dump"
            )
        )
        guard case .string(let bytecode) = dumped.first else {
            Issue.record("string.dump returned \(dumped)")
            return
        }
        let chunk = LuaChunk(
            name: "=probe",
            source: "this is not Lua",
            compiledBy: LuaChunk.runtime.compiledBy,
            bytecode: bytecode.bytes
        )
        #expect(chunk.loadsAsBytecode)
        await #expect {
            _ = try await state.run(try state.load(chunk))
        } throws: { error in
            (error as? LuaError)?.message == "probe:2: boom"
        }
    }

    /// After an update of liblua5.4, refonte's bytecode is of another release: it is not loaded
    /// (these bytes would be refused, or worse), and the source is compiled instead.
    @Test func anotherReleaseCompilesTheSource() throws {
        let chunk = LuaChunk(
            name: "=probe",
            source: "return 6 * 7",
            compiledBy: "$LuaVersion: Lua 5.4.0  Copyright (C) 1994-2020 Lua.org, PUC-Rio $",
            bytecode: Array("\u{1B}Lua\u{54}\u{00}garbage".utf8)
        )
        #expect(!chunk.loadsAsBytecode)
        let state = try LuaState()
        #expect(try state.call(try state.load(chunk)) == [42])
    }
}
