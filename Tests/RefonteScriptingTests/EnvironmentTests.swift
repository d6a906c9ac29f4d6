import Foundation
import Logging
import LuaRuntime
import RefonteScripting
import Testing

@Suite struct EnvironmentTests {
    @Test(
        arguments: [
            (
                "os.execute('id')",
                "os.execute is not available in refonte scripts (scripts cannot run programs)"
            ),
            ("io.popen('id')", "io.popen is not available in refonte scripts (scripts cannot run programs)"),
            ("os.exit(2)", "os.exit: exit code 2 is reserved for refonte"),
            ("os.exit(1.5)", "os.exit: argument #1 (code) must be an integer, true or false, got number"),
            ("os.remove('/tmp/x')", "os.remove is not available in refonte scripts"),
            ("package.loadlib('x', 'y')", "package.loadlib is not available in refonte scripts"),
            ("debug.getinfo(1)", "debug.getinfo is not available in refonte scripts"),
            ("package.loaded.debug.sethook()", "debug.sethook is not available in refonte scripts"),
        ]
    )
    func unsafeFunctionsFailClearly(code: String, expected: String) async throws {
        let state = try scriptState()
        let results = try await evaluate(state, "return pcall(function() \(code) end)")
        #expect(results.first == false)
        #expect("\(results.last ?? .nil)".contains(expected), "\(results)")
    }

    @Test func safeLibrariesAreThere() async throws {
        let state = try scriptState()
        let results = try await evaluate(
            state,
            """
            return type(os.time()), type(os.clock()), type(os.date('%Y')), string.rep('a', 2), math.max(1, 2),
              utf8.char(233), table.concat({1, 2}, ','), type(coroutine.create(print)), type(debug.traceback())
            """
        )
        #expect(results == ["number", "number", "string", "aa", 2, "é", "1,2", "thread", "string"])
    }

    @Test func binaryChunksAreRefused() async throws {
        let state = try scriptState()
        let results = try await evaluate(state, "return load(string.dump(function() end), 'x', 'b')")
        #expect(results.first == .nil)
        #expect("\(results.last ?? .nil)".contains("attempt to load a binary chunk"))
    }

    @Test func filesNeedAPermissionThatTheErrorNames() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("refonte-env-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("data.txt").path
        try "hello".write(toFile: file, atomically: true, encoding: .utf8)

        let denied = try await evaluate(
            try scriptState(),
            "return pcall(function() local f = io.open('\(file)') return f end)"
        )
        #expect(
            denied.last
                == .string("test:1: io.open: reading \(file) is not allowed; run with --allow-read \(file)")
        )

        let reader = try scriptState(permissions: ScriptPermissions(readablePaths: [folder.path]))
        let read = try await evaluate(reader, "return io.open('\(file)'):read('a')")
        #expect(read == ["hello"])
        let writeDenied = try await evaluate(
            reader,
            "return pcall(function() return io.open('\(file)', 'w') end)"
        )
        #expect("\(writeDenied.last ?? .nil)".contains("run with --allow-write \(file)"))

        let writer = try scriptState(permissions: ScriptPermissions(writablePaths: [folder.path]))
        try await evaluate(
            writer,
            "local f = assert(io.open('\(folder.path)/new.txt', 'w')) f:write('x') f:close()"
        )
        #expect(try String(contentsOfFile: folder.path + "/new.txt", encoding: .utf8) == "x")
    }

    @Test func aSymbolicLinkCannotLeadOutsideAPermission() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("refonte-link-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/host",
            withDestinationPath: "/etc/hostname"
        )
        let state = try scriptState(permissions: ScriptPermissions(readablePaths: [folder.path]))
        let results = try await evaluate(state, "return pcall(io.open, '\(folder.path)/host')")
        #expect(results.first == false)
    }

    @Test func environmentVariablesNeedAllowEnv() async throws {
        let denied = try await evaluate(
            try scriptState(),
            "return pcall(function() local home = os.getenv('HOME') return home end)"
        )
        #expect(
            denied.last
                == "test:1: os.getenv: reading the environment variable HOME is not allowed; run with --allow-env HOME"
        )
        let allowed = try await evaluate(
            try scriptState(permissions: ScriptPermissions(environmentNames: ["HOME"])),
            "return os.getenv('HOME')"
        )
        #expect(allowed == [.string(ProcessInfo.processInfo.environment["HOME"] ?? "")])
    }

    @Test func requireLoadsSiblingModulesOfTheScript() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "refonte-require-\(UUID())"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "return { answer = 42 }".write(
            toFile: folder.path + "/helper.lua",
            atomically: true,
            encoding: .utf8
        )
        try "local h = require('helper') assert(h.answer == 42)".write(
            toFile: folder.path + "/main.lua",
            atomically: true,
            encoding: .utf8
        )
        try await ScriptRunner(logger: Logger(label: "test")).run(
            ScriptRun(source: .file(folder.path + "/main.lua"))
        )

        // Without the script's folder, the same require is refused, naming the flag.
        let state = try scriptState(packagePath: folder.path + "/?.lua")
        let results = try await evaluate(state, "return pcall(require, 'helper')")
        #expect(
            "\(results.last ?? .nil)".contains(
                "require: reading \(folder.path)/helper.lua is not allowed; run with --allow-read"
            )
        )
    }

    @Test func eachRunGetsFreshGlobals() async throws {
        let runner = ScriptRunner(logger: Logger(label: "test"))
        for _ in 0..<2 {
            try await runner.run(
                ScriptRun(source: .code("assert(leaked == nil, 'a global leaked') leaked = true"))
            )
        }
    }

    @Test func argIsSetAsLuaDotCSetsIt() async throws {
        let runner = ScriptRunner(logger: Logger(label: "test"))
        let check = """
            assert(arg[0] == '-e' and arg[1] == 'a' and arg[2] == 'b' and arg[-1] == 'run' and arg[-2] == 'refonte')
            local x, y = ...
            assert(x == 'a' and y == 'b' and select('#', ...) == 2)
            """
        try await runner.run(
            ScriptRun(source: .code(check), arguments: ["a", "b"], commandLine: ["refonte", "run"])
        )
    }

    @Test func sleepChecksItsArgument() async throws {
        let state = try scriptState()
        let results = try await evaluate(
            state,
            "local a = {pcall(function() sleep('x') end)} local b = {pcall(function() sleep(-1) end)} return a[2], b[2]"
        )
        #expect(
            results == [
                "test:1: sleep: argument #1 (ms) must be a number, got string",
                "test:1: sleep: argument #1 (ms) must be 0 or more milliseconds, got -1.0",
            ]
        )
    }
}

@Suite struct LoadSemanticsTests {
    @Test func loadWithoutAnEnvironmentSeesTheGlobals() async throws {
        let state = try scriptState()
        let results = try await evaluate(
            state,
            """
            answer = 42
            local with_globals = load('return answer')()
            local with_nil = select(2, pcall(load('return answer', 'x', 't', nil)))
            local with_table = load('return answer', 'x', 't', {answer = 7})()
            return with_globals, with_nil, with_table
            """
        )
        #expect(results[0] == 42)
        #expect("\(results[1])".contains("attempt to index a nil value"))
        #expect(results[2] == 7)
    }

    @Test func loadfileAndDofileSeeTheGlobals() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("refonte-load-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "#!/usr/bin/env lua\nreturn answer".write(
            toFile: folder.path + "/chunk.lua",
            atomically: true,
            encoding: .utf8
        )
        let state = try scriptState(permissions: ScriptPermissions(readablePaths: [folder.path]))
        let results = try await evaluate(
            state,
            """
            answer = 42
            local path = '\(folder.path)/chunk.lua'
            return loadfile(path)(), dofile(path), loadfile(path, 't', {answer = 7})()
            """
        )
        #expect(results == [42, 42, 7])
    }
}

@Suite struct FileFunctionTests {
    @Test func aBadModeNamesTheArgumentAtTheScriptsLine() async throws {
        let results = try await evaluate(
            try scriptState(permissions: ScriptPermissions(readablePaths: ["/"])),
            "return pcall(function() local f = io.open('/etc/hostname', 'rw') return f end)"
        )
        #expect(results.first == false)
        #expect("\(results.last ?? .nil)".contains("test:1: io.open: argument #2 (mode) must be"))
    }

    @Test func ioLinesClosesTheFileAtTheEnd() async throws {
        let results = try await evaluate(
            try scriptState(permissions: ScriptPermissions(readablePaths: ["/etc"])),
            """
            local iterator, _, _, file = io.lines('/etc/hostname')
            for _ in iterator do end
            return io.type(file)
            """
        )
        #expect(results == ["closed file"])
    }
}
