import TFRecord
import CSupport

/// Descriptions of the C scanner's status codes.
enum ProtobufScan {
    static func message(_ status: Int32) -> String {
        switch UInt32(bitPattern: status) {
        case CSUPPORT_PB_TRUNCATED_VARINT.rawValue: return "truncated varint"
        case CSUPPORT_PB_VARINT_TOO_LONG.rawValue: return "varint longer than 10 bytes"
        case CSUPPORT_PB_LENGTH_PAST_END.rawValue: return "length runs past the end of the enclosing message"
        case CSUPPORT_PB_TRUNCATED_FIXED.rawValue: return "truncated fixed-size value"
        case CSUPPORT_PB_BAD_WIRE_TYPE.rawValue: return "invalid wire type or unmatched end-group tag"
        case CSUPPORT_PB_BAD_FIELD_NUMBER.rawValue: return "field number 0 or out of range"
        case CSUPPORT_PB_UNTERMINATED_GROUP.rawValue: return "group without its end tag"
        case CSUPPORT_PB_TOO_DEEP.rawValue: return "groups nested too deep"
        default: return "scan error \(status)"
        }
    }
}
