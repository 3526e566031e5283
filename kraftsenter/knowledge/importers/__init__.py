"""Reading and loading official statistics: commuting, employment, industry and emissions.

Readers (``files.read_directory`` for the documented file format, ``official.fetch_official``
for SSB's PxWebApi and Miljødirektoratet's workbook) produce a
:class:`~.base.StatisticsDataset` keyed on 2024 municipality numbers;
``load.load_statistics`` checks that it is plausible as a whole (``checks.check_statistics``:
coverage, shrinking, consistency with the other tables) and writes it all or nothing, and only
what changed.
"""
