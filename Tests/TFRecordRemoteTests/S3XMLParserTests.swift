import Testing

@testable import TFRecordRemote

@Suite struct S3XMLParserTests {
    @Test func listingPageWithURLEncodedKeys() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>d</Prefix>\
            <KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>\
            <Contents><Key>dir/a+b%2Bc%3D%C3%BC</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>\
            <ETag>&quot;abc&quot;</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass></Contents>\
            <Contents><Key>dir/x</Key><ETag>"d-2"</ETag><Size>0</Size></Contents>\
            <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken></ListBucketResult>
            """
        let page = try S3ListPage(Array(xml.utf8))
        #expect(page.objects.map(\.key) == ["dir/a b+c=ü", "dir/x"])
        #expect(page.objects.map(\.size) == [42, 0])
        #expect(page.objects.map(\.etag) == ["\"abc\"", "\"d-2\""])
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
    }

    @Test func textFeatures() throws {
        let xml = "<a:Root xmlns:a='x'><a:K attr=\"1 &amp; 2\">x &lt;&#65;&#x42;<![CDATA[<raw>&amp;]]><!-- c --></a:K><E/></a:Root>"
        let root = try S3XMLParser.parse(Array(xml.utf8))
        #expect(root.name == "Root")
        #expect(root.text(of: "K") == "x <AB<raw>&amp;")
        #expect(root.child("E")?.text == "")
    }

    @Test(arguments: [
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><R>&lol2;</R>",
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><R>&xxe;</R>",
        "<R>&unknown;</R>", "<R><A></R>", "<R>", "<R></R><S></S>", "<R></R>trailing", "", "   ",
        "<R>&#0;</R>", "<R>&#xD800;</R>", "<R a=\"<\"></R>", "<R a=b></R>", "<R>&amp</R>", "<1R/>x",
        "<R><![CDATA[never closed</R>", "<R><!-- never closed</R>",
    ])
    func hostileOrMalformedXMLIsRefused(_ text: String) {
        #expect(throws: S3XMLParser.Failure.self) { try S3XMLParser.parse(Array(text.utf8)) }
    }

    @Test func depthAndInvalidUTF8AreBounded() {
        let deep = String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40)
        #expect(throws: S3XMLParser.Failure.self) { try S3XMLParser.parse(Array(deep.utf8)) }
        let okay = String(repeating: "<a>", count: 30) + String(repeating: "</a>", count: 30)
        #expect(throws: Never.self) { try S3XMLParser.parse(Array(okay.utf8)) }
        #expect(throws: S3XMLParser.Failure.self) { try S3XMLParser.parse([0x3C, 0x52, 0x3E, 0xFF, 0x3C, 0x2F, 0x52, 0x3E]) }
    }

    @Test func listingShapeErrors() {
        let noToken = "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"
        #expect(throws: S3XMLParser.Failure.self) { try S3ListPage(Array(noToken.utf8)) }
        let badSize = "<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>"
        #expect(throws: S3XMLParser.Failure.self) { try S3ListPage(Array(badSize.utf8)) }
        let noKey = "<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>"
        #expect(throws: S3XMLParser.Failure.self) { try S3ListPage(Array(noKey.utf8)) }
        let wrongRoot = "<Error><Code>NoSuchBucket</Code></Error>"
        #expect(throws: S3XMLParser.Failure.self) { try S3ListPage(Array(wrongRoot.utf8)) }
        let badEscape = "<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>%zz</Key><Size>1</Size></Contents></ListBucketResult>"
        #expect(throws: S3XMLParser.Failure.self) { try S3ListPage(Array(badEscape.utf8)) }
        let error = S3ErrorBody(Array("<Error><Code>SlowDown</Code><Message>m</Message></Error>".utf8))
        #expect(error?.root == "Error")
        #expect(error?.code == "SlowDown")
        #expect(error?.message == "m")
        #expect(S3ErrorBody(Array("not xml".utf8)) == nil)
    }
}
