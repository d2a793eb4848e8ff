"""One module per tab, each with its layout(), its register(app, db) of thin callbacks and the
view functions those call (pure functions of a connection and the view's state)."""
