import CSupport

/// Owns one zlib `z_stream` (inflate or deflate) and its allocation: the only place the
/// stream's pointers live. `deinit` ends the stream.
final class ZStream {
    /// What the stream does.
    enum Direction {
        case inflate
        case deflate
    }

    /// The stream; valid until `deinit`.
    let stream: UnsafeMutablePointer<z_stream>
    /// Whether it inflates or deflates.
    let direction: Direction

    /// An inflate stream. `windowBits` 15 reads zlib, 31 gzip (zlib's convention).
    /// - Throws: `TFRecordError.compression` when zlib refuses the parameters or memory.
    init(inflateWindowBits windowBits: Int32) throws(TFRecordError) {
        // Set up before any stored property, so a failure never reaches `deinit`.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = csupport_inflate_init2(stream, windowBits)
        guard status == Z_OK else {
            stream.deallocate()
            throw TFRecordError(.compression, "inflateInit2() failed with error \(status)")
        }
        self.stream = stream
        direction = .inflate
    }

    /// A deflate stream with zlib's parameters, as `deflateInit2` takes them.
    /// - Throws: `TFRecordError.invalidArgument` when zlib refuses the parameters.
    init(deflateLevel level: Int32, windowBits: Int32, memLevel: Int32, strategy: Int32) throws(TFRecordError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = csupport_deflate_init2(stream, level, windowBits, memLevel, strategy)
        guard status == Z_OK else {
            stream.deallocate()
            throw TFRecordError(.invalidArgument,
                                "deflateInit2() failed with error \(status) (level \(level), window bits \(windowBits), memLevel \(memLevel), strategy \(strategy))")
        }
        self.stream = stream
        direction = .deflate
    }

    /// zlib's last message, if any ("incorrect header check").
    var message: String? {
        stream.pointee.msg.map { String(cString: $0) }
    }

    /// Bytes left in the current input.
    var availableIn: Int { Int(stream.pointee.avail_in) }
    /// Space left in the current output.
    var availableOut: Int { Int(stream.pointee.avail_out) }

    /// Points the input at `count` bytes at `base` (which must stay valid while they are used).
    func setInput(_ base: UnsafeRawPointer?, count: Int) {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base?.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(count)
    }

    /// Points the output at `count` bytes at `base`.
    func setOutput(_ base: UnsafeMutableRawPointer?, count: Int) {
        stream.pointee.next_out = base?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = UInt32(count)
    }

    /// The next input byte's address.
    var nextIn: UnsafeRawPointer? { UnsafeRawPointer(stream.pointee.next_in) }

    /// `inflate(flush)`: zlib's status.
    func inflate(_ flush: Int32 = Z_NO_FLUSH) -> Int32 { zlib_inflate(stream, flush) }

    /// `deflate(flush)`: zlib's status.
    func deflate(_ flush: Int32) -> Int32 { zlib_deflate(stream, flush) }

    /// Starts a new stream with the same parameters (the next gzip member or zlib stream).
    func reset() {
        switch direction {
        case .inflate: _ = inflateReset(stream)
        case .deflate: _ = deflateReset(stream)
        }
    }

    deinit {
        switch direction {
        case .inflate: _ = inflateEnd(stream)
        case .deflate: _ = deflateEnd(stream)
        }
        stream.deallocate()
    }
}

// zlib's `inflate`/`deflate` under names that do not clash with the methods above.
@inline(__always) private func zlib_inflate(_ s: UnsafeMutablePointer<z_stream>, _ flush: Int32) -> Int32 {
    CSupport.inflate(s, flush)
}
@inline(__always) private func zlib_deflate(_ s: UnsafeMutablePointer<z_stream>, _ flush: Int32) -> Int32 {
    CSupport.deflate(s, flush)
}
