/// One element of an S3 XML answer: its local name, its text and its child elements.
///
/// S3 answers are simple trees of elements with text leaves; attributes and namespaces carry nothing
/// the client needs, so they are dropped.
struct S3XMLElement: Sendable, Equatable {
    /// The element's name without a namespace prefix (`Contents`, `Key`).
    var name: String
    /// The concatenated text directly inside the element, entities decoded.
    var text: String
    /// The child elements in document order.
    var children: [S3XMLElement]

    /// The first child named `name`.
    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }

    /// The children named `name`.
    func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    func text(of name: String) -> String? { child(name)?.text }
}
