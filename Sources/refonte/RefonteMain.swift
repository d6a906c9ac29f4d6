import ArgumentParser
import Foundation
import RefonteScripting

/// The entry point: a synchronous `main`, so that `refonte run` decides which threads it needs.
///
/// A valid `run` line runs on the main thread, which is then the script's thread too
/// (`ScriptThread.serve`). Everything else, help and errors included, goes to ArgumentParser
/// the way an `async` main would: as a task, with the main thread handed to the dispatcher.
@main
enum RefonteMain {
    static func main() {
        TerminalLogHandler.bootstrap()
        let words = CommandLine.arguments.dropFirst()
        if words.first == "run", let request = RunCommandLine.parse(words.dropFirst()) {
            ScriptThread.serve {
                do {
                    try await request.run()
                } catch {
                    Refonte.exit(withError: error)
                }
            }
            return
        }
        Task {
            await Refonte.main()
            Refonte.exit()
        }
        dispatchMain()
    }
}
