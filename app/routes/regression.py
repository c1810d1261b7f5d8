from app.pages import figure_page

figure_page("regression").servable(title="Momentum Explorer · Polynomial regression")
