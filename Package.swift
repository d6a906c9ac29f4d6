// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// Linux only (Debian): the code calls Glibc directly and links Debian's liblua5.4; no other
// platform is claimed (README, "Platforms").
let package = Package(
    name: "refonte",
    products: [
        .executable(name: "refonte", targets: ["refonte"]),
        .library(name: "LuaRuntime", targets: ["LuaRuntime"]),
        .library(name: "RefonteAPI", targets: ["RefonteAPI"]),
        .library(name: "RefonteScripting", targets: ["RefonteScripting"]),
        .library(name: "RefonteSandbox", targets: ["RefonteSandbox"]),
        .library(name: "RefonteScheduler", targets: ["RefonteScheduler"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // The scheduler: its shared store on several hosts, TLS to that store, its child runs.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        // SHA-256 for plans (script hash, read fingerprints) and the audit log's hash chain;
        // async-http-client already brings it into the build.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Debian: liblua5.4-dev. The shim re-exposes Lua's macros and holds the C trampolines
        // that raise errors and yields, so no longjmp ever crosses a Swift frame.
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // Debian: libedit-dev (its header; libedit2 at run time). The REPL's line editing
        // (history, completion, Emacs keys): opens libedit when the REPL first edits a line (no
        // `refonte run` loads it), wraps its variadic calls and catches Ctrl-C.
        .target(name: "CEditLine"),
        // Compiles the preludes (each target's `.lua` files) with the liblua refonte links, at
        // build time: `LuaChunk.<file name>` holds the source and its bytecode.
        .executableTarget(name: "LuaChunkCompiler", dependencies: ["CLua"], swiftSettings: strict),
        .plugin(name: "LuaChunks", capability: .buildTool(), dependencies: ["LuaChunkCompiler"]),
        // Durations and byte counts as people write them; no dependencies, so every layer can use it.
        .target(name: "Quantities", swiftSettings: strict),
        .target(
            name: "LuaRuntime",
            dependencies: ["CLua", "Quantities"],
            swiftSettings: strict,
            plugins: ["LuaChunks"]
        ),
        .target(
            name: "RefonteAPI",
            dependencies: [
                "Quantities",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RefonteScripting",
            dependencies: [
                "LuaRuntime",
                "RefonteAPI",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict,
            plugins: ["LuaChunks"]
        ),
        // `refonte repl`: a session of statements in one script environment, line editing,
        // completion from the live state and the catalog.
        .target(
            name: "RefonteREPL",
            dependencies: [
                "CEditLine",
                "LuaRuntime",
                "RefonteAPI",
                "RefonteScripting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict,
            plugins: ["LuaChunks"]
        ),
        .target(
            name: "RefonteSandbox",
            dependencies: [
                "RefonteAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                // The request and response parts that the connection watchers see.
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RefonteScheduler",
            dependencies: [
                "RefonteAPI",
                "Quantities",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "refonte",
            dependencies: [
                "LuaRuntime",
                "Quantities",
                "RefonteAPI",
                "RefonteScripting",
                "RefonteSandbox",
                "RefonteScheduler",
                "RefonteREPL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Release builds link with --no-export-dynamic: see scripts/build-release.
            swiftSettings: strict
        ),
        .testTarget(name: "QuantitiesTests", dependencies: ["Quantities"], swiftSettings: strict),
        // Shared by the test targets: a throwaway CA and certificates (scripts/test-certificates)
        // and a CONNECT proxy on loopback, which can inspect TLS.
        .target(
            name: "TestHelpers",
            dependencies: [
                "RefonteAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/TestHelpers",
            swiftSettings: strict
        ),
        .testTarget(name: "LuaRuntimeTests", dependencies: ["LuaRuntime"], swiftSettings: strict),
        .testTarget(
            name: "RefonteAPITests",
            dependencies: [
                "RefonteAPI",
                "TestHelpers",
                .product(name: "Logging", package: "swift-log"),
                // A real loopback server for the client tests, over TLS too.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // To build the transport errors the client must sort.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // The thread a script runs on (`ScriptThread`), to keep busy.
                "RefonteScripting",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RefonteScriptingTests",
            dependencies: [
                "RefonteScripting", "LuaRuntime", "RefonteAPI", "RefonteSandbox", "TestHelpers",
                .product(name: "Logging", package: "swift-log"),
                // To see which event loop a script runs on, and to read the sandbox's request log.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RefonteSandboxTests",
            dependencies: [
                "RefonteSandbox", "RefonteAPI", "TestHelpers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RefonteREPLTests",
            dependencies: ["RefonteREPL", "RefonteScripting", "LuaRuntime", "RefonteAPI"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RefonteSchedulerTests",
            dependencies: [
                "RefonteScheduler",
                // The end-to-end test runs schedules against a real sandbox on loopback.
                "RefonteSandbox",
                // Builds the `refonte` binary that every scheduled run is a child of.
                "refonte", "TestHelpers",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Makes a database per test on the throwaway PostgreSQL that scripts/test starts.
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        // Runs the built `refonte` binary as a user would, against a sandbox in the test.
        .testTarget(
            name: "RefonteCLITests",
            dependencies: [
                "refonte", "RefonteSandbox", "RefonteAPI", "TestHelpers",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
