-- correction_document: the documents whose content hash or name (doc) is $document, with their
-- text, for a correction that adds a figure the extractor missed.
SELECT doc_id, doc, title, text
FROM documents
WHERE doc_id = $document OR doc = $document
ORDER BY doc_id
