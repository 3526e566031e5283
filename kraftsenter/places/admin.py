from kraftsenter.core.admin import site_register

from .models import (
    County,
    Municipality,
    MunicipalityNumberChange,
    PopulationFigure,
    Region,
    SamiLanguageAreaMembership,
)

site_register(County, list_display=("number", "name", "valid_from"))
site_register(
    Municipality,
    list_display=("number", "name", "county", "centrality_class"),
    search_fields=("number", "name", "search_text"),
    list_filter=("county",),
)
site_register(PopulationFigure, list_display=("municipality", "year", "population"))
site_register(
    MunicipalityNumberChange, list_display=("old_number", "old_name", "new_number", "new_name")
)
site_register(Region, list_display=("name", "centre", "source"))
site_register(
    SamiLanguageAreaMembership,
    list_display=("municipality", "county", "category", "in_area_from", "in_area_to", "source"),
)
