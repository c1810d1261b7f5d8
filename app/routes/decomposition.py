from app.pages import figure_page

figure_page("decomposition").servable(title="Momentum Explorer · Decomposition")
