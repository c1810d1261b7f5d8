// Mark the document as one of this app's (run first of the page scripts, once per document). The page
// scripts change how BokehJS paints the plots of marked documents only: a page may hold other Bokeh
// plots too — a notebook's page is the reader's, a course page may embed a figure beside its own plots.
(window.__momentumDocuments = window.__momentumDocuments || new WeakSet()).add(cb_obj);
