from app.pages import explorer_page, serve

serve(explorer_page(), "Momentum Explorer")
