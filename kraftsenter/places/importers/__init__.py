"""Reading and loading the official reference data for places.

Readers (``files.read_directory`` for the documented file format, ``official.fetch_official`` for
the official web sources) produce a :class:`~.base.PlaceDataset`; ``validate.check_dataset``
finds every problem across files and ``validate.check_complete`` every missing county or
municipality; ``load.load_places`` writes it all or nothing.
"""
