from app.pages import serve_figure

serve_figure("model")
