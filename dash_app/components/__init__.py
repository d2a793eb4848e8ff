"""What the dashboard's pages share: the page shell (shell), the shared controls (controls) and
the URL they are kept in step with (state, url_sync), checked callback inputs (inputs), the named
queries every page reads through (data), labels, the figure grid, the evidence card and the map
outlines (geo)."""
