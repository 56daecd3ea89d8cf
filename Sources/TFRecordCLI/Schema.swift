import ArgumentParser
import TFRecord
import TFRecordExample

extension TFRecordCommand {
    /// `tfrecord schema`: the inferred feature spec of Example / SequenceExample files.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Infer the feature spec of Example records: each feature's kind and value counts.",
            discussion: """
                Prints one line per feature: name, kind, fewest and most values, records holding it,
                and the tf.io spec that parses every record. --json prints one JSON object.
                Example: tfrecord schema data/train-*.tfrecord
                """
        )

        @Argument(help: "TFRecord files, directories or globs, or object addresses (s3://, gs://, https://).")
        var paths: [String]

        @Flag(help: "Print one JSON object instead of a table.")
        var json = false

        func run() throws {
            var schema = ExampleSchema()
            let files: [InputSource]
            do {
                files = try InputSource.expand(paths)
                for file in files { try schema.add(recordsOf: file.reader(options: ReadOptions())) }
            } catch let error as ExampleError {
                throw error.tfRecordError()
            }
            if json {
                try Output.standard.write(schema.json + "\n")
            } else {
                try Output.standard.write("# \(schema.recordCount) records in \(files.count) file\(files.count == 1 ? "" : "s")\n")
                try Output.standard.write(schema.table)
            }
        }
    }
}
