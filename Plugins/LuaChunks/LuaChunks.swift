import PackagePlugin

/// Compiles each `.lua` file of a target (its preludes) into `LuaChunk.<file name>`: the source
/// and its bytecode, so a run loads bytecode instead of compiling the preludes at every start.
@main
struct LuaChunks: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let compiler = try context.tool(named: "LuaChunkCompiler")
        return module.sourceFiles(withSuffix: "lua").map { file in
            let member = file.url.deletingPathExtension().lastPathComponent
            let output = context.pluginWorkDirectoryURL.appending(path: "LuaChunk+\(member).swift")
            return .buildCommand(
                displayName: "Compiling Lua chunk \(file.url.lastPathComponent) (\(module.moduleName))",
                executable: compiler.url,
                arguments: [file.url.path, output.path, member, module.moduleName],
                inputFiles: [file.url],
                outputFiles: [output]
            )
        }
    }
}
