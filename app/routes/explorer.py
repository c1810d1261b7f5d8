from app.pages import explorer_page

explorer_page().servable(title="Momentum Explorer")
