import CLua

/// Lua that ships inside refonte (the preludes), compiled when refonte is built.
///
/// Each `.lua` file of a target becomes `LuaChunk.<file name>` (the LuaChunks plugin), named
/// `=refonte <file name>` in tracebacks. Compiling the preludes' source cost every
/// `refonte run` a fifth of its start-up; loading their bytecode costs a tenth of that.
///
/// Bytecode is only valid for the Lua release that wrote it, and refonte links the system's
/// liblua5.4, which an update may replace after refonte was built. So the bytecode is loaded only
/// when the running liblua is the release that compiled it, and otherwise the source is
/// compiled, as before. It is not stripped: tracebacks and error positions read the same either
/// way. Scripts never load bytecode (`load` takes text only); this comes from refonte's binary.
public struct LuaChunk: Sendable {
    /// Lua's chunk name: `=refonte sandbox`.
    public let name: String
    public let source: String
    /// `lua_ident` of the liblua that compiled `bytecode`.
    let compiledBy: String
    let bytecode: [UInt8]

    public init(name: String, source: String, compiledBy: String, bytecode: [UInt8]) {
        self.name = name
        self.source = source
        self.compiledBy = compiledBy
        self.bytecode = bytecode
    }

    /// Whether this process's liblua can load `bytecode`.
    var loadsAsBytecode: Bool {
        compiledBy.withCString { strcmp($0, refonte_lua_ident()) == 0 }
    }
}

extension LuaState {
    /// Loads a chunk of refonte's own: its bytecode when this liblua wrote it, else its source.
    public func load(_ chunk: LuaChunk) throws(LuaError) -> LuaFunction {
        guard chunk.loadsAsBytecode else { return try load(chunk.source, chunkName: chunk.name) }
        let stack = stack
        return try loaded(chunk.bytecode.withUnsafeBytes { stack.load(bytecode: $0, chunkName: chunk.name) })
    }
}
