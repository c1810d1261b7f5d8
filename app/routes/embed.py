from app.pages import embed_page, serve

serve(embed_page(), "Momentum Explorer · Embed")
