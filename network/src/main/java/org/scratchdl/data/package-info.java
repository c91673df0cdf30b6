/**
 * MNIST-format data sets: reading IDX files ({@link org.scratchdl.data.IdxReader}), the in-memory
 * {@link org.scratchdl.data.Dataset}, loading the four standard files of a folder
 * ({@link org.scratchdl.data.MnistData}), finding that folder ({@link org.scratchdl.data.DataLocator})
 * and downloading the files when they are missing ({@link org.scratchdl.data.Downloader}).
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * MnistDataset which = MnistDataset.fromId("mnist");
 * Path dir = DataLocator.fromEnvironment().locate(which, dataDirOrNull, new Downloader(System.err::println));
 * TrainTestSplit data = MnistData.load(dir);
 * }</pre>
 */
package org.scratchdl.data;
