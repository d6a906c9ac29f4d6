// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "refonte",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "refonte", targets: ["refonte"]),
        .library(name: "LuaRuntime", targets: ["LuaRuntime"]),
        .library(name: "RefonteAPI", targets: ["RefonteAPI"]),
        .library(name: "RefonteScripting", targets: ["RefonteScripting"]),
        .library(name: "RefonteSandbox", targets: ["RefonteSandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
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
        .target(
            name: "LuaRuntime",
            dependencies: ["CLua"],
            swiftSettings: strict
        ),
        .target(
            name: "RefonteAPI",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
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
            swiftSettings: strict
        ),
        .target(
            name: "RefonteSandbox",
            dependencies: [
                "RefonteAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "refonte",
            dependencies: [
                "LuaRuntime",
                "RefonteAPI",
                "RefonteScripting",
                "RefonteSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "LuaRuntimeTests", dependencies: ["LuaRuntime"], swiftSettings: strict),
        .testTarget(
            name: "RefonteAPITests",
            dependencies: [
                "RefonteAPI",
                .product(name: "Logging", package: "swift-log"),
                // A real loopback server for the client tests.
                .product(name: "Hummingbird", package: "hummingbird"),
                // To build the transport errors the client must sort.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // An event loop of the test's own, to keep busy.
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RefonteScriptingTests",
            dependencies: [
                "RefonteScripting", "LuaRuntime", "RefonteAPI", "RefonteSandbox",
                // To read the sandbox's request log over HTTP.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RefonteSandboxTests",
            dependencies: [
                "RefonteSandbox", "RefonteAPI",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        // Runs the built `refonte` binary as a user would, against a sandbox in the test.
        .testTarget(
            name: "RefonteCLITests",
            dependencies: [
                "refonte", "RefonteSandbox", "RefonteAPI",
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
