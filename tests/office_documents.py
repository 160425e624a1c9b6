"""Small office documents written from their XML, for the readers' tests: each feature a test needs
(a running header, a comment, a tracked change, a field, a footnote) is spelled out, not assumed."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def para(text: str = "", style: str | None = None, props: str = "", runs: str | None = None) -> str:
    """One w:p: plain text, or `runs` as written; `style` a paragraph style id, `props` more pPr XML."""
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    body = runs if runs is not None else f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    return f"<w:p><w:pPr>{style_xml}{props}</w:pPr>{body}</w:p>"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


STYLES = """<w:styles xmlns:w="{w}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Author"><w:name w:val="Author"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="ChapterTitle"><w:name w:val="Chapter Title"/><w:basedOn w:val="Heading1"/></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/></w:style>
</w:styles>"""


def docx(path: Path, body: str, *, header: str | None = None, footer: str | None = None,
         footnotes: dict[int, str] | None = None, comments: dict[int, str] | None = None,
         core: dict[str, str] | None = None, extra: dict[str, bytes] | None = None) -> Path:
    """A .docx whose document body is `body` (w:p elements); the parts named are added with their relations."""
    rels, types = [], []
    parts: dict[str, str | bytes] = {}
    sect = ""
    if header is not None:
        parts["word/header1.xml"] = f'<w:hdr xmlns:w="{W_NS}">{para(header)}</w:hdr>'
        rels.append(("rIdH", "header", "header1.xml"))
        types.append(("/word/header1.xml", "wordprocessingml.header"))
        sect += '<w:headerReference w:type="default" r:id="rIdH"/>'
    if footer is not None:
        parts["word/footer1.xml"] = f'<w:ftr xmlns:w="{W_NS}">{para(footer)}</w:ftr>'
        rels.append(("rIdF", "footer", "footer1.xml"))
        types.append(("/word/footer1.xml", "wordprocessingml.footer"))
        sect += '<w:footerReference w:type="default" r:id="rIdF"/>'
    if footnotes:
        notes = "".join(f'<w:footnote w:id="{k}">{para(v, "FootnoteText")}</w:footnote>' for k, v in footnotes.items())
        parts["word/footnotes.xml"] = f'<w:footnotes xmlns:w="{W_NS}">{notes}</w:footnotes>'
        rels.append(("rIdN", "footnotes", "footnotes.xml"))
        types.append(("/word/footnotes.xml", "wordprocessingml.footnotes"))
    if comments:
        notes = "".join(f'<w:comment w:id="{k}" w:author="Ed">{para(v)}</w:comment>' for k, v in comments.items())
        parts["word/comments.xml"] = f'<w:comments xmlns:w="{W_NS}">{notes}</w:comments>'
        rels.append(("rIdC", "comments", "comments.xml"))
        types.append(("/word/comments.xml", "wordprocessingml.comments"))
    parts["word/styles.xml"] = STYLES.format(w=W_NS)
    rels.append(("rIdS", "styles", "styles.xml"))
    parts["word/document.xml"] = (f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}'
                                  f"<w:sectPr>{sect}</w:sectPr></w:body></w:document>")
    parts["word/_rels/document.xml.rels"] = f'<Relationships xmlns="{PKG_REL}">' + "".join(
        f'<Relationship Id="{i}" Type="{REL}/{t}" Target="{target}"/>' for i, t, target in rels) + "</Relationships>"
    package_rels = [f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>']
    if core:
        fields = "".join(f"<dc:{k}>{escape(v)}</dc:{k}>" for k, v in core.items())
        parts["docProps/core.xml"] = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                                      'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                                      f"{fields}</cp:coreProperties>")
        package_rels.append('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                            'relationships/metadata/core-properties" Target="docProps/core.xml"/>')
    parts["_rels/.rels"] = f'<Relationships xmlns="{PKG_REL}">{"".join(package_rels)}</Relationships>'
    overrides = "".join(f'<Override PartName="{name}" ContentType="application/vnd.openxmlformats-officedocument.'
                        f'{kind}+xml"/>' for name, kind in
                        [("/word/document.xml", "wordprocessingml.document.main"), *types])
    parts["[Content_Types].xml"] = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                                    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                                    f"{overrides}</Types>")
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODF_NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                  f'xmlns:text="{TEXT_NS}" '
                  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
                  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
                  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
                  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
                  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
                  'xmlns:xlink="http://www.w3.org/1999/xlink"')


def odt(path: Path, body: str, *, automatic_styles: str = "", master_header: str | None = None,
        meta: dict[str, str] | None = None, extra: dict[str, bytes] | None = None) -> Path:
    """An .odt whose office:text holds `body`; a running header in styles.xml's master page if given."""
    header = (f"<style:master-page style:name=\"Standard\"><style:header><text:p>{escape(master_header)}</text:p>"
              "</style:header></style:master-page>") if master_header is not None else ""
    fields = "".join(f"<dc:{k}>{escape(v)}</dc:{k}>" for k, v in (meta or {}).items())
    parts = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": (f'<office:document-content {ODF_NAMESPACES}><office:automatic-styles>{automatic_styles}'
                        f"</office:automatic-styles><office:body><office:text>{body}</office:text></office:body>"
                        "</office:document-content>"),
        "styles.xml": (f"<office:document-styles {ODF_NAMESPACES}><office:master-styles>{header}"
                       "</office:master-styles></office:document-styles>"),
        "meta.xml": f"<office:document-meta {ODF_NAMESPACES}><office:meta>{fields}</office:meta></office:document-meta>",
        "META-INF/manifest.xml": ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                                  '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/'
                                  'vnd.oasis.opendocument.text"/></manifest:manifest>'),
    }
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), parts.pop("mimetype"))
        for name, data in parts.items():
            archive.writestr(name, data)
    return path
