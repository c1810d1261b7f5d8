from app.pages import figure_page

figure_page("custom").servable(title="Momentum Explorer · Your own problem")
