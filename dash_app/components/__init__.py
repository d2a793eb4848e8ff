"""What the dashboard's pages share: the named queries they read (data), checked callback
inputs (inputs), the view's state in the URL (state), the shared controls kept in step with
it (controls), labels, the figure grid, the evidence card and the map outlines (geo)."""
