/// The closed sets of the contract as Swift enums: the catalog declares its enumerations from
/// them, and code that serves or reads the API names the same cases instead of copying a list.
public protocol CatalogChoice: RawRepresentable<String>, CaseIterable, Sendable, Hashable {}

extension CatalogChoice {
    /// The wire values, in declaration order.
    public static var wireValues: [String] { allCases.map(\.rawValue) }
}

/// The 17 task types, the `{type}` of `POST /task/{type}`.
public enum TaskType: String, CatalogChoice {
    case annotation, categorization, comparison, cuboidannotation, datacollection
    case documenttranscription, imageannotation, lineannotation, namedentityrecognition
    case pointannotation, polygonannotation, segmentannotation, textcollection
    case transcription, videoannotation, videoboxannotation, chat
}

public enum TaskStatus: String, CatalogChoice {
    case pending, completed, canceled, error
}

public enum BatchStatus: String, CatalogChoice {
    case staging
    case inProgress = "in_progress"
    case completed
}

/// The task pipeline of a Studio project.
public enum Pipeline: String, CatalogChoice {
    case standardTask = "standard_task"
    case consensusTask = "consensus_task"
}

public enum TeammateRole: String, CatalogChoice {
    case admin, manager, member, labeler, invited, disabled
}

extension ValueType {
    /// A string from the whole of a closed set.
    public static func choice<Choice: CatalogChoice>(_ type: Choice.Type) -> ValueType {
        .enumeration(Choice.wireValues)
    }

    /// A string from part of a closed set (`teams.invite` takes three of the six roles).
    public static func choice<Choice: CatalogChoice>(_ cases: [Choice]) -> ValueType {
        .enumeration(cases.map(\.rawValue))
    }
}
