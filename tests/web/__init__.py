HTMX = {"HTTP_HX_REQUEST": "true"}  # what htmx sends with every request it makes
