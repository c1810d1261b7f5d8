from app.pages import figure_page

figure_page("formulations").servable(title="Momentum Explorer · One method, many formulations")
